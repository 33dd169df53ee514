import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { hasInterpolation } from '../../model/compose-values.js';

export default defineResourceRule({
  id: 'secret-file-in-repo',
  meta: {
    severity: 'warning',
    family: 'swarm',
    description:
      'A Swarm secret is created from a file next to the stack file, so the secret itself lives in the repository.',
    rationale:
      'secrets: {name: {file: ./db_password.txt}} makes docker stack deploy create the secret from a file read relative to the stack file: in a GitOps repository that file is committed, and the password is in Git history for everyone who can read the repository, its forks and CI logs. Swarm encrypts the secret at rest and in transit, but the copy in Git is plain text.',
    remediation:
      'Create the secret out of band (docker secret create db_password -, from a vault or the CI secret store) and declare it external: true; rotate the one that was committed. A file that does not exist in the checkout is not reported: it is written at deploy time, outside Git. If the file exists here but is git-ignored, say so with a # shipshape-ignore comment.',
    tags: ['swarm', 'secrets', 'security'],
    securitySeverity: 7.0,
    messages: {
      committed: 'secret {{name}} is created from {{file}}, a file committed to the repository',
    },
  },
  applies: { platforms: ['swarm'], kinds: ['Stack'] },
  check(r, ctx) {
    const secrets = r.value.secrets;
    if (!isObject(secrets)) return;
    for (const [name, def] of Object.entries(secrets)) {
      if (!isObject(def) || typeof def.file !== 'string') continue;
      const file = def.file.trim();
      // An absolute path or a home path is outside the repository (a file on the deploying machine); a variable is unknown.
      if (
        file === '' ||
        file.startsWith('/') ||
        file.startsWith('~') ||
        /^[A-Za-z]:[\\/]/.test(file) ||
        hasInterpolation(file)
      )
        continue;
      // Not in the repository (written at deploy time, or git-ignored and absent here): nothing is committed.
      if (r.secretFiles?.get(def.file) === 'missing') continue;
      ctx.report({ path: ['secrets', name, 'file'], messageId: 'committed', data: { name, file } });
    }
  },
});
