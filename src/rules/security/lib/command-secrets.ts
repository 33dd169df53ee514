/**
 * Literal credentials passed on a command line (`--requirepass xyz`, `--password=xyz`, `-pxyz`, `PGPASSWORD=xyz psql`).
 * Used for Swarm `command`, `entrypoint` and `healthcheck.test`, where a string is split like a shell would.
 */
import { shellSplit } from '../../../model/compose-values.js';
import type { Path } from '../../../model/types.js';
import { credentialValue, literalSecret, secretName, type SecretReason } from './secret-patterns.js';

/** Flags whose name does not say "password" but whose value is one. */
const SECRET_FLAGS = new Set([
  'requirepass',
  'masterauth',
  'pass',
  'pwd',
  'passwd',
  'password',
  'secret',
  'token',
  'auth-token',
  'authtoken',
]);
/** Programs that take `-p<password>` glued to the flag (a separate `-p value` prompts, and value is the database). */
const GLUED_P =
  /^(mysql|mysqladmin|mysqldump|mysqlcheck|mysqlimport|mysqlshow|mariadb|mariadb-admin|mariadb-dump|mariadb-check)$/;
/** Programs that take the password as the value of `-a`. */
const DASH_A = /^(redis-cli|keydb-cli|valkey-cli)$/;

export interface CommandToken {
  text: string;
  /** Path of the YAML scalar that holds the token (the whole string for the string form). */
  path: Path;
}

export interface CommandSecret {
  path: Path;
  /** How the credential is passed, for the message: `--requirepass`, `-p`, `PGPASSWORD=`. */
  via: string;
  reason: SecretReason;
}

/** The tokens of a `command`-like value: a string is split like a shell; each list item too when it holds a script (`sh -c "…"`). */
export function commandTokensAt(raw: unknown, path: Path): CommandToken[] {
  if (typeof raw === 'string') return shellSplit(raw).map((text) => ({ text, path }));
  if (!Array.isArray(raw)) return [];
  const out: CommandToken[] = [];
  raw.forEach((item, i) => {
    if (typeof item !== 'string') return;
    const parts = /\s/.test(item.trim()) ? shellSplit(item) : [item];
    for (const text of parts) out.push({ text, path: [...path, i] });
  });
  return out;
}

function base(program: string): string {
  return (program.split('/').pop() ?? program).toLowerCase();
}

function secretFlag(flag: string): boolean {
  const name = flag.replace(/^-+/, '');
  return SECRET_FLAGS.has(name.toLowerCase()) || secretName(name) !== undefined;
}

/** Values a shell expands at run time, or that Compose interpolates: not literals. */
function expanded(value: string): boolean {
  return value.includes('$') || value.includes('`');
}

function literal(name: string, value: string): SecretReason | undefined {
  if (value === '' || expanded(value)) return undefined;
  const r = literalSecret(name, value);
  if (r) return r;
  // A flag such as --requirepass has no secret word literalSecret knows: its name alone says what the value is.
  const v = value.trim();
  if (
    secretName(name) === undefined &&
    SECRET_FLAGS.has(name.replace(/^-+/, '').toLowerCase()) &&
    !/^(true|false|yes|no)$/i.test(v) &&
    !v.startsWith('/')
  )
    return { kind: 'name', word: 'PASSWORD' };
  return undefined;
}

/** Every literal credential among the tokens, at most one per token. */
export function commandSecrets(tokens: readonly CommandToken[]): CommandSecret[] {
  const out: CommandSecret[] = [];
  const programs = new Set(tokens.map((t) => base(t.text)));
  const glued = [...programs].some((p) => GLUED_P.test(p));
  const dashA = [...programs].some((p) => DASH_A.test(p));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const text = t.text;
    const next = tokens[i + 1];
    let hit: CommandSecret | undefined;
    // --flag=value, -flag=value, and Java system properties (-Dspring.datasource.password=…)
    if (/^--?[A-Za-z][\w.-]*=/.test(text)) {
      const eq = text.indexOf('=');
      const flag = text.slice(0, eq);
      const value = text.slice(eq + 1);
      // -haproxy.scrape-uri=http://admin:admin@proxy/stats: a flag of any name whose value is a credential.
      const what = expanded(value) ? undefined : credentialValue(value);
      const reason = secretFlag(flag) ? literal(flag, value) : what ? ({ kind: 'value', what } as const) : undefined;
      if (reason) hit = { path: t.path, via: flag, reason };
    } else if (/^--[A-Za-z][\w.-]*$/.test(text) && next && !next.text.startsWith('-') && secretFlag(text)) {
      const reason = literal(text, next.text);
      if (reason) {
        hit = { path: next.path, via: text, reason };
        i++;
      }
    } else if (glued && /^-p./.test(text) && !text.startsWith('-p=')) {
      const reason = literal('password', text.slice(2));
      if (reason) hit = { path: t.path, via: '-p', reason };
    } else if (dashA && text === '-a' && next) {
      const reason = literal('password', next.text);
      if (reason) {
        hit = { path: next.path, via: '-a', reason };
        i++;
      }
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
      const eq = text.indexOf('=');
      const reason = literal(text.slice(0, eq), text.slice(eq + 1));
      if (reason) hit = { path: t.path, via: `${text.slice(0, eq)}=`, reason };
    } else if (!expanded(text)) {
      const what = credentialValue(text);
      if (what) hit = { path: t.path, via: 'an argument', reason: { kind: 'value', what } };
    }
    if (hit) out.push(hit);
  }
  return out;
}
