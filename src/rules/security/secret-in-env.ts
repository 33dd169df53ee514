import { defineWorkloadRule } from '../../engine/rule.js';
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
