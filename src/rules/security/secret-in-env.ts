import { defineWorkloadRule } from '../../engine/rule.js';
import type { Report } from '../../engine/rule.js';
import type { Workload } from '../../model/types.js';
import { commandSecrets, commandTokensAt } from './command-secrets.js';
import { describeReason, literalSecret } from './secret-patterns.js';

export default defineWorkloadRule({
  id: 'secret-in-env',
  meta: {
    severity: 'error',
    family: 'security',
    platforms: ['kubernetes', 'swarm'],
    description: 'A credential is written literally into an environment variable (or a command flag).',
    rationale:
      'A password or token committed in a manifest is in Git history forever, readable by everyone with access to the repository, its forks and CI logs, and it cannot be rotated without a commit. It also shows in `kubectl describe` and `docker service inspect`.',
    remediation:
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
    for (const c of w.containers) {
      for (const e of c.env) {
        if (e.fromRef) continue;
        const reason = literalSecret(e.name, e.value);
        if (!reason) continue;
        ctx.report({
          path: e.valuePath,
          container: c.name,
          ...(e.resource ? { resource: e.resource } : {}),
          message: `env ${e.name} of container "${c.name}" holds a literal secret (${describeReason(reason)}): it is now in Git history for anyone who can read the repository. Move it to a Secret and reference it with valueFrom.secretKeyRef, then rotate it. (The value is not shown.)`,
        });
      }
    }
  },
});

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
      if (!reason) continue;
      const where = e.resource ? `${e.name} in env file ${e.resource.file.path} (env_file of service "${w.name}")` : `environment ${e.name} of service "${w.name}"`;
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
    for (const hit of commandSecrets(commandTokensAt((hc as Record<string, unknown>).test, [...w.path, 'healthcheck', 'test']))) {
      report({
        path: hit.path,
        container: w.name,
        message: `healthcheck test of service "${w.name}" passes a literal credential with ${hit.via} (${describeReason(hit.reason)}): it is in Git history and in docker inspect output. Use a variable the container already has (with $$ in the stack file, e.g. -p$$MYSQL_ROOT_PASSWORD or $$(cat /run/secrets/…)) instead, and rotate it.`,
      });
    }
  }
}
