import { defineWorkloadRule } from '../../engine/rule.js';
import type { Report } from '../../engine/rule.js';
import type { ResourceIndex } from '../../engine/resource-index.js';
import { isObject } from '../../model/json.js';
import { interpolationDefault } from '../../model/compose-values.js';
import { valueAt as dig } from '../../model/path.js';
import type { EnvVar, Workload } from '../../model/types.js';
import { commandSecrets, commandTokensAt } from './lib/command-secrets.js';
import { describeReason, literalSecret, type SecretReason } from './lib/secret-patterns.js';
import { secretEnvFixes } from '../reliability/lib/k8s-fixes.js';
import { envSecretFix } from '../swarm/lib/swarm-fixes.js';

export default defineWorkloadRule({
  id: 'secret-in-env',
  meta: {
    severity: 'error',
    family: 'security',
    description:
      'A credential is written literally into an environment variable, a command flag, or a ConfigMap read as environment.',
    rationale:
      'A password or token committed in a manifest is in Git history forever, readable by everyone with access to the repository, its forks and CI logs, and it cannot be rotated without a commit. It also shows in `kubectl describe` and `docker service inspect`.',
    remediation:
      'What counts: a value shaped like a credential (cloud and API key formats, a PEM key, a JWT, a URL with user:password, an 88-character base64 Azure account key under a *_KEY name), or a literal under a name that says password, secret, token, API key… Placeholders that cannot work (`<Client Secret>`, `REPLACE_ME`, `SECRET`, `xxxx`), references (`$(VAR)`, `${VAR}`) and an *_AUTH variable naming a scheme (`htpasswd`, `basic`) are not; a default credential (`admin`, `changeme`) is, and so is the default of a Compose interpolation (`${PASS:-admin}`), reported without its value. ConfigMap entries count when a workload reads them as environment (envFrom.configMapRef, configMapKeyRef), and Kubernetes command and args are checked like Swarm commands. ' +
      'Kubernetes: put the value in a Secret (created out of band, or by SealedSecrets, External Secrets or SOPS) and use env[].valueFrom.secretKeyRef. `shipshape --fix` writes a secretKeyRef to a Secret named after the workload and prints the `kubectl create secret generic` command, without the value. Swarm: create a Docker secret and point the app at /run/secrets/<name>, for example with a *_FILE variable (`shipshape --fix` does it for the official images that read <KEY>_FILE, and prints `docker secret create <name> -`). Then rotate the leaked credential.',
    tags: ['secrets', 'security'],
    securitySeverity: 8.0,
    messages: {
      envLiteral: '{{subject}}: {{var}} holds a literal secret ({{reason:60}})',
      envFileLiteral: '{{subject}}: {{var}} in env file {{file}} holds a literal secret ({{reason:60}})',
      envDefaultLiteral: '{{subject}}: {{var}} has a literal secret as the default of ${{{variable}}} ({{reason:60}})',
      commandLiteral: '{{subject}}: {{field}} passes a literal credential with {{via}} ({{reason:60}})',
      healthcheckLiteral: '{{subject}}: healthcheck test passes a literal credential with {{via}} ({{reason:60}})',
      configMapLiteral:
        '{{subject}} reads ConfigMap {{configMap}} key {{key}} as env: a literal secret ({{reason:60}})',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  // Values are never shown: a message names the variable, the flag or the key, and why it looks like a credential.
  kubernetes(w, ctx) {
    const literals = w.containers.flatMap((c) =>
      c.env.flatMap((e) => {
        const reason = e.fromRef ? undefined : literalSecret(e.name, e.value);
        return reason ? [{ c, e, reason }] : [];
      }),
    );
    // One Secret for the workload, holding every variable fixed here: the same command on each finding.
    const fixes = secretEnvFixes(
      w,
      literals.filter((l) => !l.e.resource).map((l) => l.e),
      ctx.index,
    );
    let next = 0;
    for (const { c, e, reason } of literals) {
      const fix = e.resource ? undefined : fixes?.[next++];
      ctx.report({
        path: e.valuePath,
        container: c.name,
        ...(e.resource ? { resource: e.resource } : {}),
        messageId: 'envLiteral',
        data: { var: `env ${e.name}`, reason: describeReason(reason) },
        ...(fix ? { fix: fix.edits, fixCommand: fix.command } : {}),
      });
    }
    for (const c of w.containers) {
      for (const field of ['command', 'args'] as const) {
        const at = [...c.path, field];
        for (const hit of onePerScalar(commandSecrets(commandTokensAt(dig(w.resource.value, at), at)))) {
          ctx.report({
            path: hit.path,
            container: c.name,
            messageId: 'commandLiteral',
            data: { field, via: hit.via, reason: describeReason(hit.reason) },
          });
        }
      }
    }
    checkConfigMaps(w, ctx.index, ctx.report);
  },
  /** Environment (map and list forms), env_file contents, and credentials passed as flags in command, entrypoint or healthcheck. */
  swarm(s, ctx) {
    const c = s.container;
    for (const e of c.env) {
      if (e.fromRef) continue;
      const reason = literalSecret(e.name, e.value);
      if (!reason) {
        const d = interpolatedDefault(e);
        if (d)
          ctx.report({
            path: e.valuePath,
            container: c.name,
            messageId: 'envDefaultLiteral',
            data: { var: `environment ${e.name}`, variable: d.variable, reason: describeReason(d.reason) },
          });
        continue;
      }
      // Env files are not edited: a variable defined there has no fix.
      const secret = e.resource ? undefined : envSecretFix(s, e);
      ctx.report({
        path: e.valuePath,
        container: c.name,
        ...(secret ? { fix: secret.fix, fixCommand: secret.command } : {}),
        ...(e.resource
          ? {
              resource: e.resource,
              messageId: 'envFileLiteral',
              data: { var: e.name, file: e.resource.file.path, reason: describeReason(reason) },
            }
          : { messageId: 'envLiteral', data: { var: `environment ${e.name}`, reason: describeReason(reason) } }),
      });
    }
    for (const field of ['entrypoint', 'command'] as const) {
      for (const hit of commandSecrets(commandTokensAt(s.service[field], [...s.path, field]))) {
        ctx.report({
          path: hit.path,
          container: s.name,
          messageId: 'commandLiteral',
          data: { field, via: hit.via, reason: describeReason(hit.reason) },
        });
      }
    }
    const hc = s.service.healthcheck;
    if (isObject(hc)) {
      for (const hit of commandSecrets(commandTokensAt(hc.test, [...s.path, 'healthcheck', 'test']))) {
        ctx.report({
          path: hit.path,
          container: s.name,
          messageId: 'healthcheckLiteral',
          data: { via: hit.via, reason: describeReason(hit.reason) },
        });
      }
    }
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
      report({
        path: ['data', key],
        resource: cm,
        container: use.container,
        messageId: 'configMapLiteral',
        data: {
          configMap: cm.name ?? '',
          key,
          reason: describeReason(reason),
          how: use.all ? 'envFrom.configMapRef' : `configMapKeyRef as ${variable ?? key}`,
        },
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
