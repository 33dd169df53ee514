import { CREDENTIAL_PATTERNS } from '../../../model/redact.js';

/**
 * Secret detection shared by every rule that looks at literal values (Kubernetes env, Swarm environment,
 * env files, command flags). Every pattern is linear-time: no nested quantifiers over user input.
 */

/** Words that make a variable name look secret, matched as whole `_`/`-`/`.` separated tokens (or joined pairs). */
const SECRET_TOKENS = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'SIGNINGKEY',
  'ENCRYPTIONKEY',
  'MASTERKEY',
  'CLIENTSECRET',
  'CONNECTIONSTRING',
];
/** Words too common to count anywhere in a name (GF_AUTH_ANONYMOUS_ORG_ROLE): only as the last word (BASIC_AUTH, MYSQL_PWD). */
const WEAK_TOKENS = ['AUTH', 'PWD', 'DSN'];
const TOKEN_PAIRS = [
  ['ACCOUNT', 'KEY'],
  ['STORAGE', 'KEY'],
  ['API', 'KEY'],
  ['PRIVATE', 'KEY'],
  ['ACCESS', 'KEY'],
  ['SECRET', 'KEY'],
  ['SIGNING', 'KEY'],
  ['ENCRYPTION', 'KEY'],
  ['MASTER', 'KEY'],
  ['CLIENT', 'SECRET'],
  ['CONNECTION', 'STRING'],
];

/** A last token that says the value is not the secret itself but something about it. */
const NOT_SECRET_SUFFIXES = new Set([
  'FILE',
  'PATH',
  'DIR',
  'HOST',
  'HOSTNAME',
  'PORT',
  'ENABLED',
  'ENABLE',
  'DISABLED',
  'DISABLE',
  'NAME',
  'TTL',
  'TIMEOUT',
  'EXPIRY',
  'EXPIRATION',
  'EXPIRES',
  'LENGTH',
  'TYPE',
  'MODE',
  'METHOD',
  'HEADER',
  'ISSUER',
  'AUDIENCE',
  'ENDPOINT',
  'URI',
  'REF',
  'ID',
  'USER',
  'USERNAME',
  'LOGIN',
  'PROVIDER',
  'SCOPE',
  'SCOPES',
  'REALM',
  'VERSION',
  'ALGORITHM',
  'ALG',
  'FORMAT',
  'LOCATION',
  'REGION',
  'BACKEND',
  'STRATEGY',
  'POLICY',
  'INTERVAL',
  'SIZE',
  'COUNT',
  'LIMIT',
  'DOMAIN',
  'SERVICE',
  'KIND',
  'PREFIX',
  'SUFFIX',
  'REQUIRED',
  'TLS',
  'SSL',
  'CACHE',
  'STORE',
  'KEYRING',
  'MOUNT',
]);

const BOOLEAN_WORDS = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'enabled',
  'disabled',
  'none',
  'null',
  'required',
  'optional',
]);

/**
 * What an `*_AUTH` variable holds when it names an authentication scheme, not a credential (REGISTRY_AUTH=htpasswd).
 */
const AUTH_MODES = new Set([
  'htpasswd',
  'basic',
  'digest',
  'bearer',
  'token',
  'oauth',
  'oauth2',
  'oidc',
  'openid',
  'ldap',
  'saml',
  'jwt',
  'internal',
  'external',
  'local',
  'native',
  'kerberos',
  'ntlm',
  'cert',
  'certificate',
  'tls',
  'mtls',
  'apikey',
  'api_key',
  'api-key',
  'password',
  'anonymous',
  'md5',
  'scram-sha-256',
  'trust',
  'plain',
  'silly',
  'header',
  'cookie',
  'session',
  'github',
  'gitlab',
  'google',
  'azuread',
  'keycloak',
  'dex',
  'proxy',
  'iam',
  'sasl',
  'x509',
  'hmac',
  'sigv4',
  'db',
  'database',
  'file',
]);

/** Words that make an upper-case value a placeholder (REPLACE_ME, GOOGLE_API_KEY_VAL, YOUR_TOKEN_HERE). */
const PLACEHOLDER_WORDS = new Set([
  'REPLACE',
  'ME',
  'YOUR',
  'HERE',
  'SECRET',
  'TOKEN',
  'KEY',
  'VALUE',
  'VAL',
  'PASSWORD',
  'PASS',
  'TODO',
  'FIXME',
  'DUMMY',
  'EXAMPLE',
  'PLACEHOLDER',
  'INSERT',
  'ENTER',
  'FILL',
  'REDACTED',
  'MASKED',
  'XXX',
  'API',
  'CLIENT',
  'ID',
]);

/**
 * A value that cannot be a working credential: a template marker (`<Client Secret>`, `{{token}}`, `%PASS%`, `__KEY__`,
 * `@KEY@`, `#{key}`), filler (`xxxx`, `****`), an instruction (`your-token-here`, `replace-me`), or upper-case words
 * naming what belongs there (`REPLACE_ME`, `SECRET`, `GOOGLE_API_KEY_VAL`). A default such as `changeme` or `admin`
 * is a working credential and is not a placeholder.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (/^<[^<>]*>$|^\[[^[\]]*\]$|^\{\{.*\}\}$|^%[^%]+%$|^__\w+__$|^@\w+@$|^#\{[^}]*\}$/.test(v)) return true;
  if (/^(?:x{3,}|\*{3,}|\.{3,}|-{3,}|_{3,})$/i.test(v)) return true;
  if (
    /^(?:your|my)[-_ ]|[-_ ]here$|^(?:replace|insert|enter|fill|put)[-_ ]?(?:me|this|it|here|in|your)\b/i.test(v) &&
    !/\d/.test(v)
  )
    return true;
  if (/^[A-Z][A-Z_]*$/.test(v) && v.split('_').some((w) => PLACEHOLDER_WORDS.has(w))) return true;
  return false;
}

export type SecretReason = { kind: 'name'; word: string } | { kind: 'value'; what: string };

const VALUE_PATTERNS = CREDENTIAL_PATTERNS;

/** An Azure storage or Batch account key: 64 random bytes, base64 (88 characters). */
const AZURE_KEY = /^[A-Za-z0-9+/]{86}==$/;

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
  return name
    .toUpperCase()
    .split(/[_.\-\s]+/)
    .filter(Boolean);
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
  for (const w of ['PASSWORD', 'PASSWD', 'SECRET', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY', 'TOKEN'])
    if (joined.endsWith(w)) return w;
  return undefined;
}

/** What a value looks like when it is a credential whatever its name. */
export function credentialValue(value: string): string | undefined {
  for (const p of VALUE_PATTERNS) if (p.re.test(value)) return p.what;
  const m = URL_USERINFO.exec(value);
  if (
    m &&
    m[1] &&
    !CONTAINS_REFERENCE.test(m[1]) &&
    !m[1].startsWith('$') &&
    !isPlaceholder(m[1]) &&
    !isPlaceholder(decodeURIComponentSafe(m[1]))
  )
    return 'a URL with an embedded user:password';
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Why a literal `name=value` pair is a committed secret, or undefined when it is not. */
export function literalSecret(name: string, value: string | undefined): SecretReason | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '' || isReference(v)) return undefined;
  const what = credentialValue(v);
  if (what) return { kind: 'value', what };
  const t = tokens(name);
  if (t[t.length - 1] === 'KEY' && AZURE_KEY.test(v)) return { kind: 'value', what: 'an Azure account key' };
  const word = secretName(name);
  if (!word) return undefined;
  if (
    BOOLEAN_WORDS.has(v.toLowerCase()) ||
    /^-?\d+(\.\d+)?$/.test(v) ||
    v.startsWith('/') ||
    CONTAINS_REFERENCE.test(v) ||
    isPlaceholder(v)
  )
    return undefined;
  if (word === 'AUTH' && AUTH_MODES.has(v.toLowerCase())) return undefined; // a scheme: REGISTRY_AUTH=htpasswd
  return { kind: 'name', word };
}

/** What a secret word of a variable name says the value is, with its article. */
const NOUNS: Record<string, string> = {
  PASSWORD: 'a password',
  PASSWD: 'a password',
  PWD: 'a password',
  PASSPHRASE: 'a passphrase',
  SECRET: 'a secret',
  CLIENTSECRET: 'a client secret',
  CLIENT_SECRET: 'a client secret',
  TOKEN: 'a token',
  APIKEY: 'an API key',
  API_KEY: 'an API key',
  AUTH: 'a credential',
  DSN: 'a connection string',
  CONNECTIONSTRING: 'a connection string',
  CONNECTION_STRING: 'a connection string',
  CREDENTIAL: 'a credential',
  CREDENTIALS: 'credentials',
};

export function describeReason(r: SecretReason): string {
  if (r.kind === 'value') return `value looks like ${r.what}`;
  const plain = r.word.toLowerCase().replace(/_/g, ' ');
  return `name says ${NOUNS[r.word] ?? `${/^[aeiou]/.test(plain) ? 'an' : 'a'} ${plain}`}`;
}
