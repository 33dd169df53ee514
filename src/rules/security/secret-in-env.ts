import { defineWorkloadRule } from '../../engine/rule.js';
import type { Report } from '../../engine/rule.js';
import type { ResourceIndex } from '../../engine/resource-index.js';
import { isObject } from '../../model/json.js';
import { interpolationDefault } from '../../model/compose-values.js';
import { valueAt as dig } from '../../model/path.js';
import type { EnvVar, Workload } from '../../model/types.js';
import { commandSecrets, commandTokensAt } from './lib/command-secrets.js';
import { describeReason, literalSecret, type SecretReason } from './lib/secret-patterns.js';

export default defineWorkloadRule({
  id: 'secret-in-env',
  meta: {
    severity: 'error',
    family: 'security',
    platforms: ['kubernetes', 'swarm'],
    description:
      'A credential is written literally into an environment variable, a command flag, or a ConfigMap read as environment.',
    rationale:
      'A password or token committed in a manifest is in Git history forever, readable by everyone with access to the repository, its forks and CI logs, and it cannot be rotated without a commit. It also shows in `kubectl describe` and `docker service inspect`.',
    remediation:
      'What counts: a value shaped like a credential (cloud and API key formats, a PEM key, a JWT, a URL with user:password, an 88-character base64 Azure account key under a *_KEY name), or a literal under a name that says password, secret, token, API key… Placeholders that cannot work (`<Client Secret>`, `REPLACE_ME`, `SECRET`, `xxxx`), references (`$(VAR)`, `${VAR}`) and an *_AUTH variable naming a scheme (`htpasswd`, `basic`) are not; a default credential (`admin`, `changeme`) is, and so is the default of a Compose interpolation (`${PASS:-admin}`), reported without its value. ConfigMap entries count when a workload reads them as environment (envFrom.configMapRef, configMapKeyRef), and Kubernetes command and args are checked like Swarm commands. ' +
      'Kubernetes: put the value in a Secret (created out of band, or by SealedSecrets, External Secrets or SOPS) and use env[].valueFrom.secretKeyRef. Swarm: create a Docker secret and point the app at /run/secrets/<name>, for example with a *_FILE variable. Then rotate the leaked credential.',
    tags: ['secrets', 'security'],
    securitySeverity: 8.0,
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      checkSwarm(w, ctx.report);
      return;
    }
    if (w.platform !== 'kubernetes') return;
    // A live object (shipshape cluster) is not in Git: it is readable by whoever may read the object.
    const exposed =
      w.resource.cluster !== undefined
        ? 'anyone who can read this object in the cluster can see it'
        : 'it is now in Git history for anyone who can read the repository';
    for (const c of w.containers) {
      for (const e of c.env) {
        if (e.fromRef) continue;
        const reason = literalSecret(e.name, e.value);
        if (!reason) continue;
        ctx.report({
          path: e.valuePath,
          container: c.name,
          ...(e.resource ? { resource: e.resource } : {}),
          message: `env ${e.name} of container "${c.name}" holds a literal secret (${describeReason(reason)}): ${exposed}. Move it to a Secret and reference it with valueFrom.secretKeyRef, then rotate it. (The value is not shown.)`,
        });
      }
      for (const field of ['command', 'args'] as const) {
        const at = [...c.path, field];
        for (const hit of onePerScalar(commandSecrets(commandTokensAt(dig(w.resource.value, at), at)))) {
          ctx.report({
            path: hit.path,
            container: c.name,
            message: `${field} of container "${c.name}" passes a literal credential with ${hit.via} (${describeReason(hit.reason)}): ${exposed}, and it shows in ps output on the node. Put it in a Secret, expose it as an environment variable (valueFrom.secretKeyRef) and refer to it as $(VAR) in ${field}, then rotate it. (The value is not shown.)`,
          });
        }
      }
    }
    checkConfigMaps(w, ctx.index, ctx.report);
  },
});

/** A script in one list item can hold several credentials: one finding for the item, at the first. */
function onePerScalar<T extends { path: readonly (string | number)[] }>(hits: T[]): T[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const k = JSON.stringify(h.path);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** ConfigMap entries this workload is the first to read as environment, reported in the ConfigMap, once each. */
function checkConfigMaps(w: Workload, index: ResourceIndex, report: (r: Report) => void): void {
  for (const [cm, use] of index.configMapsFirstReadBy(w)) {
    const data = isObject(cm.value.data) ? cm.value.data : {};
    for (const [key, raw] of Object.entries(data)) {
      const value =
        typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
      const variable = use.keys.get(key);
      if (!use.all && variable === undefined) continue;
      const reason: SecretReason | undefined =
        literalSecret(key, value) ?? (variable !== undefined ? literalSecret(variable, value) : undefined);
      if (!reason) continue;
      const how = use.all ? 'envFrom.configMapRef' : `configMapKeyRef as ${variable ?? key}`;
      report({
        path: ['data', key],
        resource: cm,
        container: use.container,
        message: `ConfigMap "${cm.name ?? ''}" key ${key} holds a literal secret (${describeReason(reason)}), and container "${use.container}" of ${w.kind} "${w.name}" reads it as environment (${how}): a ConfigMap is neither encrypted nor access-controlled like a Secret, and ${cm.cluster !== undefined ? 'anyone who can read it sees the value' : 'it is in Git history'}. Move it to a Secret (envFrom.secretRef or secretKeyRef) and rotate it. (The value is not shown.)`,
      });
    }
  }
}

/** Swarm `${VAR:-default}`: the default is deployed whenever VAR is unset, so a literal credential there is committed too. */
function interpolatedDefault(e: EnvVar): { variable: string; reason: SecretReason } | undefined {
  if (e.value === undefined || e.resource || !e.value.includes('${')) return undefined;
  const d = interpolationDefault(e.value);
  if (d === undefined || d === e.value || d.trim() === '') return undefined;
  const reason = literalSecret(e.name, d);
  const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*):?-/.exec(e.value)?.[1];
  return reason && variable ? { variable, reason } : undefined;
}

/** The Swarm fix: a Docker secret, mounted at /run/secrets/<name>, read through a `*_FILE` variable. */
function swarmFix(secret: string, variable?: string): string {
  const file = `/run/secrets/${secret}`;
  return (
    `Create a Docker secret (docker secret create ${secret} -), declare it under the top-level secrets: with external: true, grant it to the service with secrets: [${secret}], ` +
    `and have the app read ${file}${variable ? ` (images such as postgres, mysql and mariadb read ${variable}_FILE=${file})` : ''}. Then rotate it. (The value is not shown.)`
  );
}

/** Swarm: environment (map and list forms), env_file contents, and credentials passed as flags in command, entrypoint or healthcheck. */
function checkSwarm(w: Workload, report: (r: Report) => void): void {
  for (const c of w.containers) {
    for (const e of c.env) {
      if (e.fromRef) continue;
      const reason = literalSecret(e.name, e.value);
      if (!reason) {
        const d = interpolatedDefault(e);
        if (d)
          report({
            path: e.valuePath,
            container: c.name,
            message: `environment ${e.name} of service "${w.name}" has a literal secret as the default of \${${d.variable}} (${describeReason(d.reason)}): it is deployed whenever ${d.variable} is unset, and it is in Git history. Drop the default (\${${d.variable}:?${d.variable} must be set}) or read the value from a Docker secret. ${swarmFix(e.name.toLowerCase(), e.name)}`,
          });
        continue;
      }
      const where = e.resource
        ? `${e.name} in env file ${e.resource.file.path} (env_file of service "${w.name}")`
        : `environment ${e.name} of service "${w.name}"`;
      report({
        path: e.valuePath,
        container: c.name,
        ...(e.resource ? { resource: e.resource } : {}),
        message: `${where} holds a literal secret (${describeReason(reason)}): it is in Git history for anyone who can read the repository, and shows in docker service inspect. ${swarmFix(e.name.toLowerCase(), e.name)}`,
      });
    }
  }
  const s = w.service;
  if (!s) return;
  for (const field of ['entrypoint', 'command'] as const) {
    for (const hit of commandSecrets(commandTokensAt(s[field], [...w.path, field]))) {
      report({
        path: hit.path,
        container: w.name,
        message: `${field} of service "${w.name}" passes a literal credential with ${hit.via} (${describeReason(hit.reason)}): it is in Git history, and in docker service inspect and ps output on every node. Read it from a secret at start instead, e.g. sh -c 'exec app ${hit.via.endsWith('=') ? hit.via : `${hit.via} `}"$$(cat /run/secrets/${w.name}_password)"'. ${swarmFix(`${w.name}_password`)}`,
      });
    }
  }
  const hc = s.healthcheck;
  if (hc !== null && typeof hc === 'object' && !Array.isArray(hc)) {
    for (const hit of commandSecrets(
      commandTokensAt((hc as Record<string, unknown>).test, [...w.path, 'healthcheck', 'test']),
    )) {
      report({
        path: hit.path,
        container: w.name,
        message: `healthcheck test of service "${w.name}" passes a literal credential with ${hit.via} (${describeReason(hit.reason)}): it is in Git history and in docker inspect output. Use a variable the container already has (with $$ in the stack file, e.g. -p$$MYSQL_ROOT_PASSWORD or $$(cat /run/secrets/…)) instead, and rotate it.`,
      });
    }
  }
}
