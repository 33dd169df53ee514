import { CREDENTIAL_PATTERNS } from '../../model/redact.js';

/**
 * Secret detection shared by every rule that looks at literal values (Kubernetes env, Swarm environment,
 * env files, command flags). Every pattern is linear-time: no nested quantifiers over user input.
 */

/** Words that make a variable name look secret, matched as whole `_`/`-`/`.` separated tokens (or joined pairs). */
const SECRET_TOKENS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY', 'SIGNINGKEY', 'ENCRYPTIONKEY', 'MASTERKEY', 'CLIENTSECRET', 'CONNECTIONSTRING'];
/** Words too common to count anywhere in a name (GF_AUTH_ANONYMOUS_ORG_ROLE): only as the last word (BASIC_AUTH, MYSQL_PWD). */
const WEAK_TOKENS = ['AUTH', 'PWD', 'DSN'];
const TOKEN_PAIRS = [['API', 'KEY'], ['PRIVATE', 'KEY'], ['ACCESS', 'KEY'], ['SECRET', 'KEY'], ['SIGNING', 'KEY'], ['ENCRYPTION', 'KEY'], ['MASTER', 'KEY'], ['CLIENT', 'SECRET'], ['CONNECTION', 'STRING']];

/** A last token that says the value is not the secret itself but something about it. */
const NOT_SECRET_SUFFIXES = new Set([
  'FILE', 'PATH', 'DIR', 'HOST', 'HOSTNAME', 'PORT', 'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'NAME', 'TTL', 'TIMEOUT',
  'EXPIRY', 'EXPIRATION', 'EXPIRES', 'LENGTH', 'TYPE', 'MODE', 'METHOD', 'HEADER', 'ISSUER', 'AUDIENCE', 'ENDPOINT', 'URI',
  'REF', 'ID', 'USER', 'USERNAME', 'LOGIN', 'PROVIDER', 'SCOPE', 'SCOPES', 'REALM', 'VERSION', 'ALGORITHM', 'ALG', 'FORMAT',
  'LOCATION', 'REGION', 'BACKEND', 'STRATEGY', 'POLICY', 'INTERVAL', 'SIZE', 'COUNT', 'LIMIT', 'DOMAIN', 'SERVICE', 'KIND',
  'PREFIX', 'SUFFIX', 'REQUIRED', 'TLS', 'SSL', 'CACHE', 'STORE', 'KEYRING', 'MOUNT',
]);

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'enabled', 'disabled', 'none', 'null', 'required', 'optional']);

export type SecretReason = { kind: 'name'; word: string } | { kind: 'value'; what: string };

const VALUE_PATTERNS = CREDENTIAL_PATTERNS;

/** `scheme://user:password@host`, where the password is not itself a `${VAR}`/`$(VAR)` reference. */
const URL_USERINFO = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,256}:([^\s@/]{1,256})@/i;

/** A value that is only a reference to a variable: `$(VAR)`, `${VAR}`, `${VAR:-default}`, `$VAR`. */
const REFERENCE = /^\$(?:\([A-Za-z_][A-Za-z0-9_]*\)|\{[^}]{1,200}\}|[A-Za-z_][A-Za-z0-9_]*)$/;
const CONTAINS_REFERENCE = /\$(?:\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][^}]{0,200}\})/;

export function isReference(value: string): boolean {
  let v = value.trim();
  // Compose: `$$VAR` reaches the container as `$VAR`, which its shell or entrypoint expands: still a reference.
  if (v.startsWith('$$')) v = v.slice(1);
  if (REFERENCE.test(v)) return true;
  // Compose: `${VAR:-${OTHER}}`, braces nested and balanced over the whole value.
  if (!v.startsWith('${') || v.length > 400) return false;
  let depth = 0;
  for (let i = 1; i < v.length; i++) {
    if (v[i] === '{') depth++;
    else if (v[i] === '}' && --depth === 0) return i === v.length - 1;
  }
  return false;
}

function tokens(name: string): string[] {
  return name.toUpperCase().split(/[_.\-\s]+/).filter(Boolean);
}

/** The secret word a variable name contains, when its last word does not make it harmless (`DB_PASSWORD_FILE`). */
export function secretName(name: string): string | undefined {
  const t = tokens(name);
  const last = t[t.length - 1];
  if (last === undefined || NOT_SECRET_SUFFIXES.has(last)) return undefined;
  if (WEAK_TOKENS.includes(last)) return last;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!;
    if (SECRET_TOKENS.includes(tok)) return tok;
    const next = t[i + 1];
    if (next && TOKEN_PAIRS.some(([a, b]) => a === tok && b === next)) return `${tok}_${next}`;
  }
  // camelCase or joined names: apiKey, dbPassword, SECRETKEY
  const joined = name.toUpperCase().replace(/[^A-Z]/g, '');
  for (const w of ['PASSWORD', 'PASSWD', 'SECRET', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY', 'TOKEN']) if (joined.endsWith(w)) return w;
  return undefined;
}

/** What a value looks like when it is a credential whatever its name. */
export function credentialValue(value: string): string | undefined {
  for (const p of VALUE_PATTERNS) if (p.re.test(value)) return p.what;
  const m = URL_USERINFO.exec(value);
  if (m && m[1] && !CONTAINS_REFERENCE.test(m[1]) && !m[1].startsWith('$')) return 'a URL with an embedded user:password';
  return undefined;
}

/** Why a literal `name=value` pair is a committed secret, or undefined when it is not. */
export function literalSecret(name: string, value: string | undefined): SecretReason | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '' || isReference(v)) return undefined;
  const what = credentialValue(v);
  if (what) return { kind: 'value', what };
  const word = secretName(name);
  if (!word) return undefined;
  if (BOOLEAN_WORDS.has(v.toLowerCase()) || /^-?\d+(\.\d+)?$/.test(v) || v.startsWith('/') || CONTAINS_REFERENCE.test(v)) return undefined;
  return { kind: 'name', word };
}

export function describeReason(r: SecretReason): string {
  return r.kind === 'value' ? `its value looks like ${r.what}` : `its name says it is a ${r.word.toLowerCase().replace(/_/g, ' ')}`;
}
