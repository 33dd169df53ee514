/**
 * The one redaction point: every text that comes from the input (a parser message, an error, a quoted flag, an id)
 * passes through here before it reaches a finding, a warning, an error line or an Action output. Messages quote
 * structure (a key, a flag name, a rule id) and never values; this removes, in addition, anything the secret detectors
 * recognise. Control characters are escaped where text reaches a terminal (escapeControl: text output, error lines);
 * JSON, SARIF and the Action escape them in their own way.
 */

/** Credential shapes recognised in any text (shared with the secret-in-env rule through secret-patterns.ts). */
export const CREDENTIAL_PATTERNS: readonly { what: string; re: RegExp }[] = [
  { what: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})/ },
  { what: 'a Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'a PEM private key', re: /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/ },
  { what: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'a Stripe secret key', re: /\b[sr]k_live_[A-Za-z0-9]{16,}/ },
  { what: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'an Azure storage account key', re: /AccountKey=[A-Za-z0-9+/]{86}==/ },
];

/** Whole-token forms of the credential shapes, for removal (a PEM body is removed up to its END line). */
const REMOVE: readonly RegExp[] = [
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{1,255}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{1,255}/g,
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[^]{0,20000}?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g,
  /\beyJ[A-Za-z0-9_-]{1,4000}\.[A-Za-z0-9_.-]{0,8000}/g,
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{1,255}/g,
  /\bAIza[0-9A-Za-z_-]{1,255}/g,
  /(AccountKey=)[A-Za-z0-9+/=]{1,255}/g,
  // `scheme://user:password@` and `"private_key": "…"` of a GCP service-account key.
  /(\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{0,256}:)[^\s@/]{1,256}@/gi,
  /("private_key(?:_id)?"\s{0,20}:\s{0,20})"[^"]{0,20000}"/g,
];

// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Input text made safe to show: credentials removed, bounded in length. */
export function redact(text: string, max = 2000): string {
  let s = text.length > max * 4 ? text.slice(0, max * 4) : text;
  for (const re of REMOVE)
    s = s.replace(re, (m, keep?: unknown) =>
      typeof keep === 'string' && m.startsWith(keep) ? `${keep}[redacted]${m.endsWith('@') ? '@' : ''}` : '[redacted]',
    );
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Control characters (but tab and newline) as `\xNN`/`\uNNNN`, so a name cannot move the cursor or recolour a terminal. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A YAML parser's message without the input it quotes: `yaml` appends the alias name, the tag, the rest of a block
 * scalar header or a scalar after a colon or in quotes (`Unresolved alias (…): Sup3rS3cret`, `Unresolved tag: !x`).
 * What is left is the parser's own wording; the finding's position shows what it is about.
 */
export function parserMessage(message: string): string {
  let line = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  const colon = line.indexOf(': ');
  if (colon !== -1) line = line.slice(0, colon);
  line = line.replace(/"[^"]*"|'[^']*'/g, '"…"');
  // `Unexpected <token> in …`, `Invalid escape sequence <raw>`, `Plain value cannot start with <char>`: keep short indicators only.
  line = line.replace(
    /^(Unexpected|Invalid escape sequence|Plain value cannot start with|Anchors and tags must be after the) (\S+)/,
    (m, head: string, what: string) => (what.length <= 3 ? m : `${head} …`),
  );
  return redact(line, 200);
}
