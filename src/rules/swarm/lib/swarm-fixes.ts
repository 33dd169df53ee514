/**
 * The fixes of the Swarm checks (`shipshape --fix`): edits at paths of the compose document, as `FixEdit` data.
 * Each function returns undefined when there is no fix that is sure to be right: a value that comes from a variable
 * (`${VAR:-…}`) is never overwritten, and the secret fix is offered only for images documented to read `<KEY>_FILE`.
 */
import { isObject } from '../../../model/json.js';
import { parseDuration } from '../../../model/compose-values.js';
import type { EnvVar, FixEdit, FixValue, Healthcheck, JsonObject, Path, SwarmService } from '../../../model/types.js';

/** The time values of a stack file, as `docker stack deploy` writes them: where the file's own durations are. */
const DURATION_KEYS = new Set([
  'interval',
  'timeout',
  'start_period',
  'start_interval',
  'delay',
  'monitor',
  'window',
  'stop_grace_period',
]);

/**
 * The style of the file's durations: `compound` when one of them is written with minutes or hours (`1m30s`, `2m`),
 * else `seconds` (`90s`).
 */
export function durationStyle(stack: JsonObject): 'compound' | 'seconds' {
  let compound = false;
  const walk = (v: unknown, key?: string): void => {
    if (compound) return;
    if (typeof v === 'string') {
      if (key && DURATION_KEYS.has(key) && /^\s*\d+(\.\d+)?(h|m(?!s))/.test(v) && parseDuration(v).ok) compound = true;
    } else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(stack.services);
  return compound ? 'compound' : 'seconds';
}

/** Whole seconds as a Go duration in the file's style: `90s`, or `1m30s` in a file that writes minutes. */
export function durationText(seconds: number, style: 'compound' | 'seconds'): string {
  const s = Math.ceil(seconds);
  if (style === 'seconds' || s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest ? `${rest}s` : ''}`;
}

/** True when the field is written with a variable: its value is decided at deploy time, and a fix must not replace it. */
function interpolated(obj: JsonObject | undefined, key: string): boolean {
  const v = obj?.[key];
  return typeof v === 'string' && v.includes('$');
}

function healthcheckOf(s: SwarmService): JsonObject | undefined {
  return isObject(s.service.healthcheck) ? s.service.healthcheck : undefined;
}

/**
 * The minor version of the stack file format `docker stack deploy` validates the file against: `docker/cli` reads
 * `version` as written (an unquoted 3.10 is the number 3.1, schema 3.1) and refuses the whole file for a key its
 * schema does not have. Without a version, or with "3", the CLI takes its newest schema (3.13 for Docker 25+, at least
 * 3.7 for any CLI still in use): `latest`. Undefined for anything else (a variable, a 2.x file).
 */
export function composeMinor(stack: JsonObject): number | 'latest' | undefined {
  const v = stack.version;
  if (v === undefined || v === null || v === '' || v === '3' || v === 3) return 'latest';
  const m = /^\s*3\.(\d+)\s*$/.exec(typeof v === 'number' || typeof v === 'string' ? String(v) : '');
  return m ? Number(m[1]) : undefined;
}

/** The file's schema has a key added in 3.`minor` (`latest` counts only for keys older than every CLI in use). */
function schemaHas(stack: JsonObject, minor: number): boolean {
  const v = composeMinor(stack);
  return v === 'latest' ? minor <= 7 : v !== undefined && v >= minor;
}

/** Another service of the file already writes `start_interval`: the author's Docker reads it. */
function fileUsesStartInterval(stack: JsonObject): boolean {
  const services = isObject(stack.services) ? stack.services : {};
  return Object.values(services).some(
    (x) => isObject(x) && isObject(x.healthcheck) && x.healthcheck.start_interval !== undefined,
  );
}

/** How often Docker checks during the start period when `start_interval` is set (its default). */
export const START_INTERVAL_SECONDS = 5;

/**
 * startup-probe-missing: `start_period` of `minSeconds` (the rule's slowStartSeconds: what it counts as enough), and
 * `start_interval: 5s` so the task still turns healthy soon after it is up. `start_period` needs format 3.4;
 * `start_interval` only where the file's version says 3.12 or later (Docker 25) or the file already uses it: with no
 * `version` the schema is the newest the deploying Docker CLI knows, which may not have it.
 */
export function startPeriodFix(s: SwarmService, hc: Healthcheck, minSeconds: number): FixEdit[] | undefined {
  const raw = healthcheckOf(s);
  const stack = s.resource.value;
  // docker compose ignores `version`; docker stack deploy would refuse start_period before 3.4.
  if (!raw || interpolated(raw, 'start_period') || !(s.composeOnly || schemaHas(stack, 4))) return undefined;
  const style = durationStyle(stack);
  const edits: FixEdit[] = [
    { op: 'set', path: [...hc.path, 'start_period'], value: durationText(Math.max(minSeconds, 1), style) },
  ];
  const minor = composeMinor(stack);
  const canStartInterval = (typeof minor === 'number' && minor >= 12) || fileUsesStartInterval(stack);
  if (canStartInterval && raw.start_interval === undefined && hc.interval > START_INTERVAL_SECONDS)
    edits.push({ op: 'set', path: [...hc.path, 'start_interval'], value: `${START_INTERVAL_SECONDS}s` });
  return edits;
}

/** The retries the fix writes for a healthcheck that gives up after one failure (the rule's remediation: 3 or more). */
const MIN_RETRIES = 3;
/** More retries than this and the fix lengthens the interval instead: a check every 100ms is not what the author meant. */
const MAX_RETRIES = 10;
/** The timeout the fix writes for one of 1s or less: the interval, between 2s and 5s. */
const TIMEOUT_SECONDS = { min: 2, max: 5 };

/**
 * liveness-probe-aggressive: the smallest change that clears all three checks of the rule at once (retries above 1,
 * interval × retries at least `minWindow`, a timeout above 1s), so the fix does not trade one finding for another.
 * More retries first (the interval also sets how soon a task turns healthy); the interval is raised only when that
 * would take more than 10 retries.
 */
export function healthWindowFix(s: SwarmService, hc: Healthcheck, minWindow: number): FixEdit[] | undefined {
  const raw = healthcheckOf(s);
  if (!raw) return undefined;
  let retries = hc.retries <= 1 ? MIN_RETRIES : hc.retries;
  let interval = hc.interval;
  if (interval * retries < minWindow) {
    const needed = Math.ceil(minWindow / interval - 1e-9);
    if (needed <= MAX_RETRIES) retries = Math.max(retries, needed);
    else interval = Math.ceil(minWindow / retries);
  }
  const edits: FixEdit[] = [];
  const style = durationStyle(s.resource.value);
  const change = (key: string, value: FixValue): boolean => {
    if (interpolated(raw, key)) return false;
    edits.push({ op: 'set', path: [...hc.path, key], value });
    return true;
  };
  if (retries !== hc.retries && !change('retries', retries)) return undefined;
  if (interval !== hc.interval && !change('interval', durationText(interval, style))) return undefined;
  const timeout = Math.min(TIMEOUT_SECONDS.max, Math.max(TIMEOUT_SECONDS.min, Math.ceil(interval)));
  if (hc.timeout <= 1 && !change('timeout', `${timeout}s`)) return undefined;
  return edits.length ? edits : undefined;
}

/** The shortest update monitor the fix writes (Docker's default is 5s). */
export const MIN_MONITOR_SECONDS = 30;

/**
 * update-rollback-missing: `failure_action: rollback` and `monitor` where they are missing (an explicit `pause` or
 * `continue` becomes `rollback`). The monitor is the time the healthcheck needs to call a task unhealthy,
 * interval × retries, and at least 30s: Swarm starts watching a task with a healthcheck once it is healthy (its
 * start period is over by then), so that is how long a broken new version can take to show. Without a healthcheck
 * in the file, 30s catches a task that crashes soon after it starts.
 */
export function rollbackFix(s: SwarmService, needsAction: boolean, needsMonitor: boolean): FixEdit[] | undefined {
  const deploy = isObject(s.service.deploy) ? s.service.deploy : undefined;
  const update = deploy && isObject(deploy.update_config) ? deploy.update_config : undefined;
  if (deploy && deploy.update_config !== undefined && !update) return undefined; // a variable or a wrong type
  if (needsAction && interpolated(update, 'failure_action')) return undefined;
  const base: Path = [...s.path, 'deploy', 'update_config'];
  const values: Record<string, FixValue> = {};
  if (needsAction) values.failure_action = 'rollback';
  if (needsMonitor) {
    const hc = s.container.healthcheck;
    const window = hc && !hc.disabled ? hc.interval * hc.retries : 0;
    values.monitor = durationText(Math.max(MIN_MONITOR_SECONDS, window), durationStyle(s.resource.value));
  }
  if (!Object.keys(values).length) return undefined;
  // A missing update_config is written whole, in one edit: two edits would each create it.
  if (!update) return [{ op: 'set', path: base, value: values }];
  return Object.entries(values).map(([k, value]) => ({ op: 'set', path: [...base, k], value }));
}

/**
 * Official images documented to read `<KEY>_FILE` for these variables (the file's content is the value): their
 * entrypoints' `file_env`, as the Docker Hub pages list them.
 * - postgres: "only supported for POSTGRES_INITDB_ARGS, POSTGRES_PASSWORD, POSTGRES_USER, and POSTGRES_DB"
 * - mysql: MYSQL_ROOT_PASSWORD, MYSQL_ROOT_HOST, MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD
 * - mariadb: the MARIADB_* variables and their MYSQL_* aliases
 * - mongo: "only supported for MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD"
 * - wordpress: the WORDPRESS_DB_* variables, the table prefix, and the eight keys and salts
 * - nextcloud: the admin user, the database variables, REDIS_HOST_PASSWORD and SMTP_PASSWORD
 */
export const FILE_ENV_IMAGES: Readonly<Record<string, readonly string[]>> = {
  postgres: ['POSTGRES_PASSWORD', 'POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_INITDB_ARGS'],
  mysql: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ROOT_HOST', 'MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_PASSWORD'],
  mariadb: [
    'MARIADB_ROOT_PASSWORD',
    'MARIADB_ROOT_PASSWORD_HASH',
    'MARIADB_ROOT_HOST',
    'MARIADB_DATABASE',
    'MARIADB_USER',
    'MARIADB_PASSWORD',
    'MARIADB_PASSWORD_HASH',
    'MYSQL_ROOT_PASSWORD',
    'MYSQL_ROOT_HOST',
    'MYSQL_DATABASE',
    'MYSQL_USER',
    'MYSQL_PASSWORD',
  ],
  mongo: ['MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_PASSWORD'],
  wordpress: [
    'WORDPRESS_DB_HOST',
    'WORDPRESS_DB_USER',
    'WORDPRESS_DB_PASSWORD',
    'WORDPRESS_DB_NAME',
    'WORDPRESS_TABLE_PREFIX',
    'WORDPRESS_AUTH_KEY',
    'WORDPRESS_SECURE_AUTH_KEY',
    'WORDPRESS_LOGGED_IN_KEY',
    'WORDPRESS_NONCE_KEY',
    'WORDPRESS_AUTH_SALT',
    'WORDPRESS_SECURE_AUTH_SALT',
    'WORDPRESS_LOGGED_IN_SALT',
    'WORDPRESS_NONCE_SALT',
  ],
  nextcloud: [
    'NEXTCLOUD_ADMIN_USER',
    'NEXTCLOUD_ADMIN_PASSWORD',
    'MYSQL_DATABASE',
    'MYSQL_USER',
    'MYSQL_PASSWORD',
    'POSTGRES_DB',
    'POSTGRES_USER',
    'POSTGRES_PASSWORD',
    'REDIS_HOST_PASSWORD',
    'SMTP_PASSWORD',
  ],
};

/**
 * The Docker Hub official image an image reference names, or undefined: `postgres`, `postgres:16-alpine`,
 * `docker.io/library/postgres@sha256:…`, `mirror.example.com/postgres:16` all name `postgres`; `bitnami/postgresql`
 * and `me/postgres` do not. A registry host (a first segment with `.` or `:`, or `localhost`) is dropped, so a
 * mirror of the official image counts; a variable anywhere in the name means it is not known.
 */
export function officialImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  let segments = image.trim().split('/');
  const first = segments[0] ?? '';
  if (segments.length > 1 && (/[.:]/.test(first) || first === 'localhost')) segments = segments.slice(1);
  if (segments[0] === 'docker' && segments[1] === 'library') segments = segments.slice(2);
  if (segments[0] === 'library') segments = segments.slice(1);
  if (segments.length !== 1) return undefined;
  const name = (segments[0] ?? '').split('@')[0]!.split(':')[0]!;
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) return undefined;
  return name;
}

/** The variables the service's image reads from `<KEY>_FILE`, by the documented list. */
export function readsFileVariant(image: string | undefined, key: string): boolean {
  const name = officialImage(image);
  return name !== undefined && Object.hasOwn(FILE_ENV_IMAGES, name) && FILE_ENV_IMAGES[name]!.includes(key);
}

/** A Docker secret name for the service's variable: `<service>_<key>`, lower case, docker's name characters, ≤ 64. */
export function secretName(service: string, key: string): string | undefined {
  const raw = `${service}_${key}`.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_');
  const name = raw.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
  return name && name.length <= 64 ? name : undefined;
}

/**
 * The variable is named in the service's healthcheck, command or entrypoint (`$$MYSQL_ROOT_PASSWORD`, a script that
 * reads it): only the image's entrypoint reads `<KEY>_FILE`, a `docker exec`ed healthcheck would find `KEY` unset.
 */
function usedInCommands(s: SwarmService, key: string): boolean {
  const hc = healthcheckOf(s);
  const texts = [hc?.test, s.service.command, s.service.entrypoint].flatMap((v) =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [],
  );
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`);
  return texts.some((t) => word.test(t));
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * secret-in-env: the literal becomes a Docker secret the image reads from `/run/secrets/<name>` through `<KEY>_FILE`.
 * List form: the item becomes `KEY_FILE=/run/secrets/<name>`; map form: `KEY` goes, `KEY_FILE` comes. The service
 * gets `<name>` under `secrets:` and the file a top-level `<name>: {external: true}` (created with
 * `docker secret create <name> -`, which reads the value from standard input: the command never holds it).
 * No fix when the image is not known to read `<KEY>_FILE`, when `<KEY>_FILE` is already set, when the names clash
 * with a secret the file defines otherwise, when the healthcheck, command or entrypoint names the variable, in a file
 * for `docker compose` (no Swarm, so no external secrets), or in a version 3.0 file (secrets came with 3.1).
 */
export function envSecretFix(s: SwarmService, e: EnvVar): { fix: FixEdit[]; command: string } | undefined {
  // docker compose (a file not deployed to Swarm) has no external secrets: `docker compose up` refuses them.
  if (s.composeOnly || e.resource || e.fromRef || e.value === undefined) return undefined;
  if (!schemaHas(s.resource.value, 1)) return undefined; // secrets came with format 3.1
  if (!readsFileVariant(s.container.image, e.name)) return undefined;
  const name = secretName(s.name, e.name);
  if (!name) return undefined;
  const fileKey = `${e.name}_FILE`;
  const target = `/run/secrets/${name}`;
  if (s.container.env.some((x) => x.name === fileKey)) return undefined;
  if (usedInCommands(s, e.name)) return undefined;
  const envPath = e.path.slice(0, -1);
  const index = e.path[e.path.length - 1];
  const edits: FixEdit[] = [];
  const env = s.service.environment;
  if (typeof index === 'number') edits.push({ op: 'set', path: e.path, value: `${fileKey}=${target}` });
  else if (isObject(env) && Object.keys(env).length === 1)
    // The only entry: the mapping is written anew (deleting its one key first would leave it empty).
    edits.push({ op: 'set', path: envPath, value: { [fileKey]: target } });
  else {
    edits.push({ op: 'set', path: [...envPath, fileKey], value: target });
    edits.push({ op: 'delete', path: e.path });
  }
  // The service's secrets: a short-form entry of that name is already there, or it is added (the list created when
  // missing: `append` does that, and two fixes of one service each add their own name).
  const own = s.service.secrets;
  if (own !== undefined && own !== null && !Array.isArray(own)) return undefined;
  const listed = (own ?? []).filter((x) => (isObject(x) ? x.source : x) === name);
  if (listed.some((x) => typeof x !== 'string')) return undefined; // a long form may mount it elsewhere
  if (!listed.length) edits.push({ op: 'append', path: [...s.path, 'secrets'], value: name });
  // The stack's definition: absent (added), or already exactly an external secret of that name.
  const top = s.resource.value.secrets;
  if (top !== undefined && top !== null && !isObject(top)) return undefined;
  const def: FixValue = { external: true };
  if (isObject(top) && Object.hasOwn(top, name)) {
    if (!sameValue(top[name], def)) return undefined;
  } else edits.push({ op: 'set', path: ['secrets', name], value: def });
  return { fix: edits, command: `docker secret create ${name} -` };
}
