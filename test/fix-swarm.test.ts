import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationText, officialImage, readsFileVariant, secretName } from '../src/rules/swarm/lib/swarm-fixes.js';
import { jsonReport } from './helpers/json-report.js';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp.js';

/** The Swarm fixes: startup-probe-missing, liveness-probe-aggressive, update-rollback-missing, secret-in-env. */

interface JsonFinding {
  ruleId: string;
  messageId?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
  fix?: { doc: number; edits: unknown[]; changes?: unknown[]; command?: string };
  fixSkipped?: string;
}

async function findings(dir: string): Promise<JsonFinding[]> {
  const report = await jsonReport<{ findings: JsonFinding[]; warnings: string[] }>(dir);
  expect(report.warnings).toEqual([]);
  return report.findings;
}

const at = (f: JsonFinding): string => `${f.ruleId} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;

/** The one finding of `ruleId` in `text` (as `stack.yml`), with its position. */
async function only(
  text: string,
  ruleId: string,
  files: Record<string, string> = {},
  name = 'stack.yml',
): Promise<JsonFinding> {
  const all = (await findings(tempProject({ [name]: text, ...files }))).filter((f) => f.ruleId === ruleId);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/**
 * `--fix`, then: the expected text exactly (so every line outside the edits is byte-identical), the rule's finding
 * gone, no finding whose fingerprint was not there before (a schema or swarm-invalid-value error neither), and a second
 * `--fix` that changes nothing. Returns what `--fix` printed on stderr.
 */
async function fixes(text: string, ruleId: string, expected: string, files: Record<string, string> = {}) {
  const dir = tempProject({ 'stack.yml': text, ...files });
  const before = await findings(dir);
  expect(before.some((f) => f.ruleId === ruleId && f.fix)).toBe(true);
  const run = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(run.code).toBe(0);
  expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(expected);
  const after = await findings(dir);
  expect(after.filter((f) => f.ruleId === ruleId)).toEqual([]);
  const old = new Set(before.map((f) => f.fingerprint));
  expect(after.filter((f) => !old.has(f.fingerprint)).map(at)).toEqual([]);
  expect(after.filter((f) => /^(schema-|swarm-)/.test(f.ruleId)).map(at)).toEqual([]);
  const again = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
  expect(again.code).toBe(0);
  expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(expected);
  return run.stderr;
}

// ---------------------------------------------------------------------------------------------------------------------
// startup-probe-missing

const JVM = `# billing stack
version: "3.8"

services:
  billing:   # the JVM app
    image: "eclipse-temurin:21-jre"
    deploy:
      replicas: 2
      update_config: {failure_action: rollback, monitor: 90s}
    healthcheck:
      test: ["CMD", "curl", "-fs", "http://localhost:8080/health"]   # actuator
      interval: 30s
      timeout:   5s
      retries: 3
    # end of billing
`;

describe('startup-probe-missing (Swarm) fix', () => {
  it("adds start_period: the rule's slowStartSeconds", async () => {
    const f = await only(JVM, 'startup-probe-missing');
    expect(at(f)).toBe('startup-probe-missing 10:5-10:16');
    expect(f.fix).toEqual({
      doc: 0,
      edits: [{ op: 'set', path: ['services', 'billing', 'healthcheck', 'start_period'], value: '30s' }],
      changes: [
        {
          file: 'stack.yml',
          range: { startLine: 15, startColumn: 1, endLine: 15, endColumn: 1 },
          text: '      start_period: 30s\n',
        },
      ],
    });
  });

  it('adds start_interval too where the Compose version has it (3.12+)', async () => {
    const f = await only(JVM.replace('"3.8"', '"3.12"'), 'startup-probe-missing');
    expect(f.fix?.edits).toEqual([
      { op: 'set', path: ['services', 'billing', 'healthcheck', 'start_period'], value: '30s' },
      { op: 'set', path: ['services', 'billing', 'healthcheck', 'start_interval'], value: '5s' },
    ]);
  });

  it("raises a short start_period, in the style of the file's durations", async () => {
    const text = JVM.replace('retries: 3\n', 'retries: 3\n      start_period: 10s\n')
      .replace('monitor: 90s', 'monitor: 1m30s')
      .replace('"3.8"', '"3.8"\n# slowStartSeconds 90 below');
    const f = await only(text, 'startup-probe-missing', {
      '.shipshape.yaml': 'rules:\n  startup-probe-missing:\n    options: {slowStartSeconds: 90}\n',
    });
    expect(f.messageId).toBe('shortStartPeriod');
    expect(f.fix?.edits).toEqual([
      { op: 'set', path: ['services', 'billing', 'healthcheck', 'start_period'], value: '1m30s' },
    ]);
  });

  it('--fix: start_period after the last key, the comments and the rest as they were', async () => {
    const stderr = await fixes(
      JVM,
      'startup-probe-missing',
      JVM.replace('      retries: 3\n', '      retries: 3\n      start_period: 30s\n'),
    );
    expect(stderr).toContain('stack.yml: fixed startup-probe-missing (services.billing.healthcheck.start_period)');
  });

  it('--fix: a short start_period replaced in place, start_interval added on 3.12', async () => {
    const text = JVM.replace('"3.8"', '"3.12"').replace(
      '      interval: 30s\n',
      '      start_period: 10s # too short\n      interval: 30s\n',
    );
    await fixes(
      text,
      'startup-probe-missing',
      text
        .replace('start_period: 10s # too short', 'start_period: 30s # too short')
        .replace('      retries: 3\n', '      retries: 3\n      start_interval: 5s\n'),
    );
  });

  it('no fix for a start_period that a variable sets, or in a stack file older than 3.4', async () => {
    const text = JVM.replace('retries: 3\n', 'retries: 3\n      start_period: ${START:-10s}\n');
    expect((await only(text, 'startup-probe-missing')).fix).toBeUndefined();
    // docker stack deploy validates a 3.2 file against the 3.2 schema, which has no start_period.
    expect((await only(JVM.replace('"3.8"', '"3.2"'), 'startup-probe-missing')).fix).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// liveness-probe-aggressive

const CACHE = `services:
  cache:
    image: redis:7.2   # pinned
    deploy:
      replicas: 2
      update_config:
        failure_action: rollback
        monitor: 30s
    healthcheck:
      test: redis-cli ping    # cheap
      interval: 2s
      timeout: 1s
      retries: 1
`;

describe('liveness-probe-aggressive (Swarm) fix', () => {
  it('one failure: retries up to the minimum window, and a timeout above 1s', async () => {
    const f = await only(CACHE, 'liveness-probe-aggressive');
    expect(at(f)).toBe('liveness-probe-aggressive 13:7-13:17');
    expect(f.fix).toEqual({
      doc: 0,
      edits: [
        { op: 'set', path: ['services', 'cache', 'healthcheck', 'retries'], value: 5 },
        { op: 'set', path: ['services', 'cache', 'healthcheck', 'timeout'], value: '2s' },
      ],
      changes: [
        { file: 'stack.yml', range: { startLine: 12, startColumn: 16, endLine: 12, endColumn: 18 }, text: '2s' },
        { file: 'stack.yml', range: { startLine: 13, startColumn: 16, endLine: 13, endColumn: 17 }, text: '5' },
      ],
    });
  });

  it('a window under the minimum: more retries, or a longer interval past 10 retries', async () => {
    const short = await only(
      CACHE.replace('retries: 1', 'retries: 2').replace('timeout: 1s', 'timeout: 3s'),
      'liveness-probe-aggressive',
    );
    expect(short.messageId).toBe('shortHealthWindow');
    expect(short.fix?.edits).toEqual([{ op: 'set', path: ['services', 'cache', 'healthcheck', 'retries'], value: 5 }]);
    const tiny = await only(
      CACHE.replace('interval: 2s', 'interval: 500ms')
        .replace('retries: 1', 'retries: 3')
        .replace('timeout: 1s', 'timeout: 3s'),
      'liveness-probe-aggressive',
    );
    expect(tiny.fix?.edits).toEqual([
      { op: 'set', path: ['services', 'cache', 'healthcheck', 'interval'], value: '4s' },
    ]);
  });

  it('adds retries when the healthcheck leaves them to the default', async () => {
    const f = await only(CACHE.replace('      retries: 1\n', ''), 'liveness-probe-aggressive');
    expect(f.messageId).toBe('shortHealthWindow');
    expect(at(f)).toBe('liveness-probe-aggressive 11:7-11:19');
    expect(f.fix?.edits).toEqual([
      { op: 'set', path: ['services', 'cache', 'healthcheck', 'retries'], value: 5 },
      { op: 'set', path: ['services', 'cache', 'healthcheck', 'timeout'], value: '2s' },
    ]);
  });

  it('--fix: the values replaced in place, their comments and quoting kept', async () => {
    const text = CACHE.replace('timeout: 1s', "timeout: '1s'  # fast").replace('retries: 1', 'retries: 1 # flaky?');
    await fixes(
      text,
      'liveness-probe-aggressive',
      text
        .replace("timeout: '1s'  # fast", "timeout: '2s'  # fast")
        .replace('retries: 1 # flaky?', 'retries: 5 # flaky?'),
    );
  });

  it('--fix: past 10 retries, a longer interval instead, in place', async () => {
    const text = CACHE.replace('interval: 2s', 'interval: 100ms')
      .replace('      timeout: 1s\n      retries: 1\n', '      timeout: 3s\n')
      .replace('monitor: 30s', 'monitor: 1m');
    await fixes(text, 'liveness-probe-aggressive', text.replace('interval: 100ms', 'interval: 4s'));
  });

  it('no fix when a variable sets a value the fix would change', async () => {
    const f = await only(CACHE.replace('retries: 1', 'retries: ${RETRIES:-1}'), 'liveness-probe-aggressive');
    expect(f.fix).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// update-rollback-missing

const WEB = `version: '3.8'
services:
  web:
    image: nginx:1.27.3
    deploy:
      mode: replicated
      replicas: 3   # three
      update_config:
        parallelism: 1   # one at a time
        delay: 10s
      placement:
        max_replicas_per_node: 1
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost/"]
      interval: 20s
      retries: 3
`;

describe('update-rollback-missing fix', () => {
  it('sets failure_action and monitor (interval × retries, at least 30s) under update_config', async () => {
    const f = await only(WEB, 'update-rollback-missing');
    expect(at(f)).toBe('update-rollback-missing 8:7-8:20');
    expect(f.fix).toEqual({
      doc: 0,
      edits: [
        { op: 'set', path: ['services', 'web', 'deploy', 'update_config', 'failure_action'], value: 'rollback' },
        { op: 'set', path: ['services', 'web', 'deploy', 'update_config', 'monitor'], value: '60s' },
      ],
      changes: [
        {
          file: 'stack.yml',
          range: { startLine: 11, startColumn: 1, endLine: 11, endColumn: 1 },
          text: '        failure_action: rollback\n',
        },
        {
          file: 'stack.yml',
          range: { startLine: 11, startColumn: 1, endLine: 11, endColumn: 1 },
          text: '        monitor: 60s\n',
        },
      ],
    });
  });

  it('--fix: the keys added at the end of update_config', async () => {
    await fixes(
      WEB,
      'update-rollback-missing',
      WEB.replace(
        '        delay: 10s\n',
        '        delay: 10s\n        failure_action: rollback\n        monitor: 60s\n',
      ),
    );
  });

  it('--fix: update_config created under deploy, after its last entry', async () => {
    const text = WEB.replace(/ {6}update_config:\n.*\n.*\n/, '');
    await fixes(
      text,
      'update-rollback-missing',
      text.replace(
        '        max_replicas_per_node: 1\n',
        '        max_replicas_per_node: 1\n      update_config:\n        failure_action: rollback\n        monitor: 60s\n',
      ),
    );
  });

  it('writes a missing update_config whole; replaces failure_action: pause', async () => {
    const none = await only(WEB.replace(/ {6}update_config:\n.*\n.*\n/, ''), 'update-rollback-missing');
    expect(none.fix?.edits).toEqual([
      {
        op: 'set',
        path: ['services', 'web', 'deploy', 'update_config'],
        value: { failure_action: 'rollback', monitor: '60s' },
      },
    ]);
    const pause = await only(
      WEB.replace('delay: 10s', 'delay: 10s\n        failure_action: pause\n        monitor: 1m'),
      'update-rollback-missing',
    );
    expect(pause.messageId).toBe('failureAction');
    expect(pause.fix?.edits).toEqual([
      { op: 'set', path: ['services', 'web', 'deploy', 'update_config', 'failure_action'], value: 'rollback' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// secret-in-env

const DB = `# data tier
services:
  db:
    image: docker.io/library/postgres:16.4-alpine
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: "Tr0ub4dor&3xample"   # FIXME
      PGDATA: /var/lib/postgresql/data/pgdata
    deploy:
      replicas: 1
volumes:
  data: {}
`;

const MARIA = `services:
  maria:
    image: mariadb:11
    environment:
      - MARIADB_DATABASE=shop
      - MARIADB_ROOT_PASSWORD=Tr0ub4dor3xample
    secrets:
      - other
    deploy:
      placement: {constraints: [node.role == manager]}
secrets:
  other:
    external: true
`;

describe('secret-in-env (Swarm) fix', () => {
  it('map form: KEY_FILE instead of KEY, the service secret, an external secret, and the command without the value', async () => {
    const f = await only(DB, 'secret-in-env');
    expect(at(f)).toBe('secret-in-env 7:7-7:45');
    expect(f.fix).toEqual({
      doc: 0,
      edits: [
        {
          op: 'set',
          path: ['services', 'db', 'environment', 'POSTGRES_PASSWORD_FILE'],
          value: '/run/secrets/db_postgres_password',
        },
        { op: 'delete', path: ['services', 'db', 'environment', 'POSTGRES_PASSWORD'] },
        { op: 'append', path: ['services', 'db', 'secrets'], value: 'db_postgres_password' },
        { op: 'set', path: ['secrets', 'db_postgres_password'], value: { external: true } },
      ],
      changes: [
        { file: 'stack.yml', range: { startLine: 7, startColumn: 1, endLine: 8, endColumn: 1 }, text: '' },
        {
          file: 'stack.yml',
          range: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 1 },
          text: '      POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password\n',
        },
        {
          file: 'stack.yml',
          range: { startLine: 11, startColumn: 1, endLine: 11, endColumn: 1 },
          text: '    secrets:\n      - db_postgres_password\n',
        },
        {
          file: 'stack.yml',
          range: { startLine: 13, startColumn: 1, endLine: 13, endColumn: 1 },
          text: 'secrets:\n  db_postgres_password:\n    external: true\n',
        },
      ],
      command: 'docker secret create db_postgres_password -',
    });
    expect(JSON.stringify(f)).not.toContain('Tr0ub4dor');
  });

  it('list form: the item becomes KEY_FILE=…, appended to the service secrets', async () => {
    const f = await only(MARIA, 'secret-in-env');
    expect(at(f)).toBe('secret-in-env 6:9-6:47');
    expect(f.fix).toEqual({
      doc: 0,
      edits: [
        {
          op: 'set',
          path: ['services', 'maria', 'environment', 1],
          value: 'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/maria_mariadb_root_password',
        },
        { op: 'append', path: ['services', 'maria', 'secrets'], value: 'maria_mariadb_root_password' },
        { op: 'set', path: ['secrets', 'maria_mariadb_root_password'], value: { external: true } },
      ],
      changes: [
        {
          file: 'stack.yml',
          range: { startLine: 6, startColumn: 9, endLine: 6, endColumn: 47 },
          text: 'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/maria_mariadb_root_password',
        },
        {
          file: 'stack.yml',
          range: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 1 },
          text: '      - maria_mariadb_root_password\n',
        },
        {
          file: 'stack.yml',
          range: { startLine: 14, startColumn: 1, endLine: 14, endColumn: 1 },
          text: '  maria_mariadb_root_password:\n    external: true\n',
        },
      ],
      command: 'docker secret create maria_mariadb_root_password -',
    });
  });

  it('--fix (map form): the variable, the service secrets and the top-level secret; the value is gone', async () => {
    const stderr = await fixes(
      DB,
      'secret-in-env',
      DB.replace(
        '      POSTGRES_PASSWORD: "Tr0ub4dor&3xample"   # FIXME\n      PGDATA: /var/lib/postgresql/data/pgdata\n',
        '      PGDATA: /var/lib/postgresql/data/pgdata\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password\n',
      )
        .replace('      replicas: 1\n', '      replicas: 1\n    secrets:\n      - db_postgres_password\n')
        .replace('  data: {}\n', '  data: {}\nsecrets:\n  db_postgres_password:\n    external: true\n'),
    );
    expect(stderr).not.toContain('Tr0ub4dor');
  });

  it('--fix (map form, the only variable): the mapping written anew', async () => {
    const text = DB.replace('      POSTGRES_USER: app\n', '').replace(
      '      PGDATA: /var/lib/postgresql/data/pgdata\n',
      '',
    );
    await fixes(
      text,
      'secret-in-env',
      text
        .replace(
          '    environment:\n      POSTGRES_PASSWORD: "Tr0ub4dor&3xample"   # FIXME\n',
          '    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password\n',
        )
        .replace('      replicas: 1\n', '      replicas: 1\n    secrets:\n      - db_postgres_password\n')
        .replace('  data: {}\n', '  data: {}\nsecrets:\n  db_postgres_password:\n    external: true\n'),
    );
  });

  it('--fix (list form): the item in place, its quoting kept; appended to both secrets lists', async () => {
    const text = MARIA.replace(
      '- MARIADB_ROOT_PASSWORD=Tr0ub4dor3xample',
      "- 'MARIADB_ROOT_PASSWORD=Tr0ub4dor3xample' # root",
    );
    await fixes(
      text,
      'secret-in-env',
      text
        .replace(
          "- 'MARIADB_ROOT_PASSWORD=Tr0ub4dor3xample' # root",
          "- 'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/maria_mariadb_root_password' # root",
        )
        .replace('      - other\n', '      - other\n      - maria_mariadb_root_password\n')
        .replace('    external: true\n', '    external: true\n  maria_mariadb_root_password:\n    external: true\n'),
    );
  });

  it('--fix: two secrets of one service without secrets: both fixed, the list created once', async () => {
    const text = `version: "3.9"
services:
  mysql:
    image: mysql:8.4   # LTS
    environment:
      - MYSQL_DATABASE=shop
      - "MYSQL_ROOT_PASSWORD=Sup3rS3cretRoot"
      - MYSQL_USER=shop
      - MYSQL_PASSWORD=Sup3rS3cretUser   # rotate me
    deploy:
      replicas: 1
    volumes: [mysql:/var/lib/mysql]
networks:
  default: {}
`;
    const before = (await findings(tempProject({ 'stack.yml': text }))).filter((f) => f.ruleId === 'secret-in-env');
    expect(before.map((f) => f.fix?.command)).toEqual([
      'docker secret create mysql_mysql_root_password -',
      'docker secret create mysql_mysql_password -',
    ]);
    await fixes(
      text,
      'secret-in-env',
      text
        .replace(
          '"MYSQL_ROOT_PASSWORD=Sup3rS3cretRoot"',
          '"MYSQL_ROOT_PASSWORD_FILE=/run/secrets/mysql_mysql_root_password"',
        )
        .replace('MYSQL_PASSWORD=Sup3rS3cretUser', 'MYSQL_PASSWORD_FILE=/run/secrets/mysql_mysql_password')
        .replace(
          '    volumes: [mysql:/var/lib/mysql]\n',
          '    volumes: [mysql:/var/lib/mysql]\n    secrets:\n      - mysql_mysql_root_password\n      - mysql_mysql_password\n',
        ) + 'secrets:\n  mysql_mysql_root_password:\n    external: true\n  mysql_mysql_password:\n    external: true\n',
    );
  });

  it('--fix leaves a service whose image does not read KEY_FILE as it was', async () => {
    const text = DB.replace('docker.io/library/postgres:16.4-alpine', 'acme/postgres:16');
    const dir = tempProject({ 'stack.yml': text });
    await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(text);
  });

  it('reuses an external secret of that name the file already defines', async () => {
    const text = MARIA.replace('  other:\n', '  maria_mariadb_root_password: {external: true}\n  other:\n');
    const f = await only(text, 'secret-in-env');
    expect(f.fix?.edits).toHaveLength(2);
  });

  it('no fix: an image not known to read KEY_FILE, a clashing secret, KEY_FILE already set, the variable used by the healthcheck, an env file, docker compose', async () => {
    const cases: [string, string, Record<string, string>?, string?][] = [
      ['custom image', DB.replace('docker.io/library/postgres:16.4-alpine', 'acme/postgres:16')],
      ['bitnami image', DB.replace('docker.io/library/postgres:16.4-alpine', 'bitnami/postgresql:16')],
      ['variable image', DB.replace('docker.io/library/postgres:16.4-alpine', '${DB_IMAGE}')],
      ['variable not read from a file', DB.replace('POSTGRES_PASSWORD:', 'POSTGRES_REPLICATION_PASSWORD:')],
      [
        'clashing secret',
        DB.replace('volumes:\n', 'secrets:\n  db_postgres_password:\n    file: ./db.txt\nvolumes:\n'),
        { 'db.txt': 'x\n' },
      ],
      ['KEY_FILE set too', DB.replace('      PGDATA', '      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n      PGDATA')],
      ['docker compose file', DB.replace('    deploy:\n      replicas: 1\n', ''), {}, 'docker-compose.yml'],
      ['format 3.0, before secrets', `version: "3.0"\n${DB}`],
      [
        'the healthcheck reads the variable',
        DB.replace(
          '    deploy:\n',
          '    healthcheck:\n      test: ["CMD-SHELL", "PGPASSWORD=$$POSTGRES_PASSWORD pg_isready -U app"]\n    deploy:\n',
        ),
      ],
    ];
    for (const [name, text, files, file] of cases) {
      const f = await only(text, 'secret-in-env', files, file);
      expect({ name, fix: f.fix }).toEqual({ name, fix: undefined });
    }
    const envFile = DB.replace('      POSTGRES_PASSWORD: "Tr0ub4dor&3xample"   # FIXME\n', '').replace(
      '    environment:\n',
      '    env_file: db.env\n    environment:\n',
    );
    const f = await only(envFile, 'secret-in-env', { 'db.env': 'POSTGRES_PASSWORD=Tr0ub4dor3xample\n' });
    expect(f.messageId).toBe('envFileLiteral');
    expect(f.fix).toBeUndefined();
  });
});

describe('all four Swarm fixes in one file', () => {
  const STACK = `# shop
version: "3.8"
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: hunter2hunter2   # old
    deploy:
      replicas: 2
    healthcheck:
      test: ["CMD", "pg_isready"]
      interval: 2s
      retries: 1
      timeout: 1s
  api:
    image: eclipse-temurin:21
    environment:
      - JAVA_OPTS=-Xmx1g
    deploy:
      replicas: 3
      update_config:
        parallelism: 1
    healthcheck:
      test: curl -f http://localhost:8080/
      interval: 1m
`;

  it('--fix makes every fix, the secret command printed without the value; a second --fix changes nothing', async () => {
    const dir = tempProject({ 'stack.yml': STACK });
    const before = await findings(dir);
    const fixable = before.filter((f) => f.fix).map((f) => f.fingerprint);
    expect(before.filter((f) => f.fix).map((f) => f.ruleId)).toEqual([
      'secret-in-env',
      'update-rollback-missing',
      'liveness-probe-aggressive',
      'update-rollback-missing',
      'startup-probe-missing',
    ]);
    const run = await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    expect(run.stderr).toContain('then run: docker secret create db_postgres_password -');
    expect(run.stderr + run.stdout).not.toContain('hunter2');
    const expected = `# shop
version: "3.8"
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password
    deploy:
      replicas: 2
      update_config:
        failure_action: rollback
        monitor: 30s
    healthcheck:
      test: ["CMD", "pg_isready"]
      interval: 2s
      retries: 5
      timeout: 2s
    secrets:
      - db_postgres_password
  api:
    image: eclipse-temurin:21
    environment:
      - JAVA_OPTS=-Xmx1g
    deploy:
      replicas: 3
      update_config:
        parallelism: 1
        failure_action: rollback
        monitor: 3m
    healthcheck:
      test: curl -f http://localhost:8080/
      interval: 1m
      start_period: 30s
secrets:
  db_postgres_password:
    external: true
`;
    expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(expected);
    const after = await findings(dir);
    const old = new Set(before.map((f) => f.fingerprint));
    expect(after.filter((f) => !old.has(f.fingerprint)).map(at)).toEqual([]);
    expect(after.filter((f) => fixable.includes(f.fingerprint)).map(at)).toEqual([]);
    await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(expected);
  });
});

describe('Swarm fixes in flow mappings and CRLF line endings', () => {
  it('--fix edits the flow mappings in place and keeps CRLF', async () => {
    const text =
      'services:\r\n  search:\r\n    image: elasticsearch:8.14.1\r\n' +
      '    deploy: {replicas: 2, update_config: {parallelism: 1}}\r\n' +
      '    healthcheck: {test: "curl -fs localhost:9200", interval: 2s, retries: 1}  # flow\r\n';
    const dir = tempProject({ 'stack.yml': text });
    const before = await findings(dir);
    expect(before.filter((f) => f.fix).map(at)).toEqual([
      'update-rollback-missing 4:27-4:40',
      'startup-probe-missing 5:5-5:16',
      'liveness-probe-aggressive 5:66-5:76',
    ]);
    await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    const expected =
      'services:\r\n  search:\r\n    image: elasticsearch:8.14.1\r\n' +
      '    deploy: {replicas: 2, update_config: {parallelism: 1, failure_action: rollback, monitor: 30s}}\r\n' +
      '    healthcheck: {test: "curl -fs localhost:9200", interval: 2s, retries: 5, start_period: 30s}  # flow\r\n';
    expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(expected);
    const after = await findings(dir);
    const old = new Set(before.map((f) => f.fingerprint));
    expect(after.filter((f) => !old.has(f.fingerprint)).map(at)).toEqual([]);
    expect(after.filter((f) => f.fix)).toEqual([]);
    await runCli(['--fix', '--fail-on', 'none', '.'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'stack.yml'), 'utf8')).toBe(expected);
  });
});

describe('swarm fix helpers', () => {
  it('durationText: seconds, or the compound style of a file that writes minutes', () => {
    expect(durationText(30, 'compound')).toBe('30s');
    expect(durationText(90, 'seconds')).toBe('90s');
    expect(durationText(90, 'compound')).toBe('1m30s');
    expect(durationText(300, 'compound')).toBe('5m');
    expect(durationText(3725, 'compound')).toBe('1h2m5s');
  });

  it('officialImage: the Docker Hub official image, with or without registry, tag or digest', () => {
    expect(officialImage('postgres')).toBe('postgres');
    expect(officialImage('postgres:16-alpine')).toBe('postgres');
    expect(officialImage('docker.io/library/postgres:16@sha256:abc')).toBe('postgres');
    expect(officialImage('library/mysql:8')).toBe('mysql');
    expect(officialImage('registry.example.com:5000/mariadb:11')).toBe('mariadb');
    expect(officialImage('public.ecr.aws/docker/library/mongo:7')).toBe('mongo');
    expect(officialImage('postgres:${PG_VERSION:-16}')).toBe('postgres');
    expect(officialImage('bitnami/postgresql:16')).toBeUndefined();
    expect(officialImage('acme/postgres')).toBeUndefined();
    expect(officialImage('${IMAGE}')).toBeUndefined();
    expect(readsFileVariant('mongo:7', 'MONGO_INITDB_ROOT_PASSWORD')).toBe(true);
    expect(readsFileVariant('mongo:7', 'MONGO_INITDB_DATABASE')).toBe(false);
    expect(readsFileVariant('redis:7', 'REDIS_PASSWORD')).toBe(false);
  });

  it('secretName: lower case, docker secret name characters', () => {
    expect(secretName('db', 'POSTGRES_PASSWORD')).toBe('db_postgres_password');
    expect(secretName('My.App', 'X')).toBe('my.app_x');
    expect(secretName('a'.repeat(70), 'X')).toBeUndefined();
  });
});
