import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/load/env-file.js';
import {
  composeNumber,
  hasInterpolation,
  interpolationDefault,
  parseDuration,
  shellSplit,
} from '../../src/model/compose-values.js';
import { parseShortVolume } from '../../src/model/swarm-service.js';
import { commandSecrets, commandTokensAt } from '../../src/rules/security/lib/command-secrets.js';
import { isReference } from '../../src/rules/security/lib/secret-patterns.js';
import { portHostIp } from '../../src/rules/swarm/swarm-ignored-key.js';
import { unsupportedVersion } from '../../src/rules/swarm/swarm-unsupported-key.js';

describe('Compose durations (Go time.ParseDuration)', () => {
  it.each([
    ['1m30s', 90],
    ['500ms', 0.5],
    ['10s', 10],
    ['1.5h', 5400],
    ['0', 0],
    ['2h45m', 9900],
    ['300us', 0.0003],
    ['-5s', -5],
  ] as const)('%s = %ss', (input, seconds) => {
    const d = parseDuration(input);
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.seconds).toBeCloseTo(seconds, 9);
  });

  it.each([['30'], ['1m30'], ['5 s'], ['ten seconds'], [''], ['s'], ['.s'], ['1d']])('rejects %j', (input) => {
    expect(parseDuration(input).ok).toBe(false);
  });

  it('rejects a YAML number, which the v3 schema refuses', () => {
    const d = parseDuration(30);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toContain('"30s"');
  });
});

describe('interpolation', () => {
  it('recognizes references', () => {
    expect(hasInterpolation('${VAR}')).toBe(true);
    expect(hasInterpolation('x-$VAR')).toBe(true);
    expect(hasInterpolation('pa$$word')).toBe(false);
    expect(hasInterpolation('100%')).toBe(false);
  });

  it('resolves defaults, and nothing a variable decides', () => {
    expect(interpolationDefault('${REPLICAS:-2}')).toBe('2');
    expect(interpolationDefault('${A-x}/${B:-${C:-y}}')).toBe('x/y');
    expect(interpolationDefault('pa$$word')).toBe('pa$word');
    expect(interpolationDefault('${VAR}')).toBeUndefined();
    expect(interpolationDefault('${VAR?required}')).toBeUndefined();
    expect(interpolationDefault('$VAR')).toBeUndefined();
    expect(composeNumber('${REPLICAS:-3}')).toBe(3);
    expect(composeNumber('${REPLICAS}')).toBeUndefined();
  });

  it('treats ${VAR}, ${VAR:-default}, ${VAR?err}, nested braces and $$VAR as references, not literals', () => {
    for (const v of [
      '${DB_PASSWORD}',
      '${DB_PASSWORD:-changeme}',
      '${DB_PASSWORD?set it}',
      '${A:-${B}}',
      '$$DB_PASSWORD',
      '$(DB_PASSWORD)',
      '$DB_PASSWORD',
    ])
      expect(isReference(v), v).toBe(true);
    for (const v of ['pa$$word', 'x${A}', '${A}x']) expect(isReference(v), v).toBe(false);
  });
});

describe('command lines', () => {
  it('splits like shlex', () => {
    expect(shellSplit(`redis-server --requirepass "a b" --x 'c d' e\\ f`)).toEqual([
      'redis-server',
      '--requirepass',
      'a b',
      '--x',
      'c d',
      'e f',
    ]);
    expect(shellSplit('')).toEqual([]);
    expect(shellSplit('a ""')).toEqual(['a', '']);
  });

  const secrets = (raw: unknown) => commandSecrets(commandTokensAt(raw, ['command'])).map((s) => s.via);

  it('finds literal credentials passed as flags', () => {
    expect(secrets('redis-server --requirepass s3cr3t-value')).toEqual(['--requirepass']);
    expect(secrets(['app', '--password=s3cr3t-value'])).toEqual(['--password']);
    expect(secrets(['mysqladmin', 'ping', '-uroot', '-ps3cr3t'])).toEqual(['-p']);
    expect(secrets(['sh', '-c', 'PGPASSWORD=s3cr3t psql -h db'])).toEqual(['PGPASSWORD=']);
    expect(secrets('java -Dspring.datasource.password=s3cr3t -jar app.jar')).toEqual(['-Dspring.datasource.password']);
    expect(secrets(['redis-cli', '-a', 's3cr3t', 'ping'])).toEqual(['-a']);
    expect(secrets(['app', 'postgres://app:s3cr3t@db/app'])).toEqual(['an argument']);
  });

  it('skips references, files, booleans and look-alikes', () => {
    expect(secrets('redis-server --requirepass ${REDIS_PASSWORD}')).toEqual([]);
    expect(secrets(['sh', '-c', 'exec redis-server --requirepass "$$(cat /run/secrets/redis)"'])).toEqual([]);
    expect(secrets(['mysqladmin', 'ping', '-p$$MYSQL_ROOT_PASSWORD'])).toEqual([]);
    expect(secrets(['app', '--password-file', '/run/secrets/db'])).toEqual([]);
    expect(secrets(['app', '--token-ttl', '3600'])).toEqual([]);
    expect(secrets(['mongod', '--auth', '--bind_ip_all'])).toEqual([]);
    expect(secrets(['nginx', '-p', '/etc/nginx'])).toEqual([]);
    expect(secrets(['iperf', '-p5201'])).toEqual([]); // -p glued is a password only for the MySQL tools
  });
});

describe('stack file syntax', () => {
  it('reads the host IP of a published port', () => {
    expect(portHostIp('127.0.0.1:8080:80')).toBe('127.0.0.1');
    expect(portHostIp('127.0.0.1:5000-5010:5000-5010/tcp')).toBe('127.0.0.1');
    expect(portHostIp('[::1]:8080:80')).toBe('::1');
    expect(portHostIp('8080:80')).toBeUndefined();
    expect(portHostIp('80')).toBeUndefined();
  });

  it('parses short volume syntax', () => {
    expect(parseShortVolume('db-data:/var/lib/postgresql/data')).toMatchObject({
      type: 'volume',
      source: 'db-data',
      readOnly: false,
    });
    expect(parseShortVolume('/var/run/docker.sock:/var/run/docker.sock:ro')).toMatchObject({
      type: 'bind',
      source: '/var/run/docker.sock',
      readOnly: true,
    });
    expect(parseShortVolume('./conf:/etc/app')).toMatchObject({ type: 'bind', source: './conf' });
    expect(parseShortVolume('C:\\data:C:\\app')).toMatchObject({ type: 'bind', source: 'C:\\data', target: 'C:\\app' });
    expect(parseShortVolume('/data')).toMatchObject({ type: 'volume', source: undefined, target: '/data' });
  });

  it('knows which versions docker stack deploy reads', () => {
    for (const ok of [undefined, '3', '3.8', 3.9, '3.14', '${COMPOSE_VERSION}'])
      expect(unsupportedVersion(ok), String(ok)).toBeUndefined();
    for (const bad of ['2.4', 2, '1', '3.99', 'latest']) expect(unsupportedVersion(bad), String(bad)).toBeDefined();
  });

  it('parses env files the way docker/cli does', () => {
    const entries = parseEnvFile('\ufeff# comment\n\nA=1\n  B= 2\nC\nD="quoted"\r\nE=x=y\nbad key=1\nF =1\n');
    expect(entries.map((e) => [e.key, e.value, e.line, e.column])).toEqual([
      ['A', '1', 3, 1],
      ['B', ' 2', 4, 3],
      ['C', undefined, 5, 1],
      ['D', '"quoted"', 6, 1],
      ['E', 'x=y', 7, 1],
    ]);
  });
});
