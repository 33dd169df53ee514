import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';

/** Secret types whose data Kubernetes fills in itself, so committing the object commits no value. */
const GENERATED_TYPES = new Set(['kubernetes.io/service-account-token']);

/** `${DB_PASSWORD}`, `$(TOKEN)`, `<your-password>`, `REPLACE_ME`: a value filled in before applying, not a credential. */
const PLACEHOLDER =
  /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|<[^<>]*>|(?:REPLACE|CHANGE|FILL)[_-]?(?:ME|THIS|IT)?)$/i;

function placeholder(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  const s = String(v).trim();
  return s === '' || PLACEHOLDER.test(s);
}

function decode(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const clean = v.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(clean) ? Buffer.from(clean, 'base64').toString('utf8') : v;
}

export default defineResourceRule({
  id: 'secret-manifest-plaintext',
  meta: {
    severity: 'error',
    family: 'security',
    description: 'A Secret with data or stringData is committed to the repository.',
    rationale:
      'The values of a Secret manifest are only base64-encoded, not encrypted: whoever can read the repository, a fork, a CI log or the Git history has the credentials, forever. A GitOps repository is read by many more people and tools than the cluster secrets are.',
    remediation:
      'Commit an encrypted form instead: a SealedSecret (Bitnami Sealed Secrets), an ExternalSecret that reads a vault or cloud secret manager (External Secrets Operator), or a SOPS-encrypted file decrypted by Flux or Argo CD. Then rotate the values that were committed.',
    tags: ['secrets', 'security'],
    securitySeverity: 8.0,
    messages: {
      committedData: '{{subject}} commits {{count}} in data, only base64-encoded: {{keys}}',
      committedStringData: '{{subject}} commits {{count}} in stringData, in clear text: {{keys}}',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['Secret'] },
  check(r, ctx) {
    if (r.apiVersion !== 'v1' || GENERATED_TYPES.has(String(r.value.type))) return;
    for (const field of ['data', 'stringData'] as const) {
      const map = r.value[field];
      if (!isObject(map)) continue;
      // Keys are names, never values: they may be shown. Empty values and placeholders hold nothing secret.
      const keys = Object.entries(map)
        .filter(([, v]) => !placeholder(field === 'data' ? decode(v) : v))
        .map(([k]) => k);
      if (!keys.length) continue;
      const shown = keys.slice(0, 3).join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
      ctx.report({
        path: [field],
        messageId: field === 'data' ? 'committedData' : 'committedStringData',
        data: { count: `${keys.length} value${keys.length > 1 ? 's' : ''}`, keys: shown, all: keys.join('\u0000') },
      });
    }
  },
});
