import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSarif, lint } from '../../src/index.js';
import { parseFile } from '../../src/load/parse.js';
import { workloadsOf } from '../../src/model/workloads-of.js';
import { expectationsIn, FIXTURES, ROOT } from '../helpers/fixtures.js';
import { validateSarif } from '../helpers/sarif.js';
import { tempDir } from '../helpers/temp.js';

/** The rules that look at stack files and that these tests hold to an exact set of findings. */
const SWARM_RULES = new Set([
  'startup-probe-missing',
  'liveness-probe-aggressive',
  'single-replica',
  'secret-in-env',
  'docker-socket-mount',
  'healthcheck-missing',
  'update-rollback-missing',
  'local-volume-replicated',
  'secret-file-in-repo',
  'swarm-ignored-key',
  'swarm-unsupported-key',
  'swarm-invalid-value',
]);

const rel = (p: string): string => path.relative(ROOT, p);

describe('realistic stacks: every finding of every Swarm rule is declared', () => {
  it.each([
    ['WordPress', path.join(FIXTURES, 'secret-in-env/should-fire/wordpress-stack.yml')],
    ['e-commerce', path.join(FIXTURES, 'local-volume-replicated/dont-fire/ecommerce-stack')],
    ['examples/swarm', path.join(ROOT, 'examples/swarm')],
  ])('%s', async (_name, target) => {
    const result = await lint({ paths: [rel(target)], cwd: ROOT });
    const got = result.findings
      .filter((f) => SWARM_RULES.has(f.ruleId))
      .map(
        (f) =>
          `${f.ruleId} ${f.file} ${f.range.startLine}:${f.range.startColumn}-${f.range.endLine}:${f.range.endColumn}`,
      )
      .sort();
    const want = expectationsIn(target)
      .filter((e) => SWARM_RULES.has(e.ruleId))
      .map((e) => `${e.ruleId} ${e.file} ${e.line}:${e.column}-${e.endLine}:${e.endColumn}`)
      .sort();
    if (target.endsWith('examples/swarm'))
      expect(got.length).toBeGreaterThan(5); // the example declares nothing: it must show findings
    else expect(got).toEqual(want);
    expect(result.findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  });
});

describe('the Swarm workload view', () => {
  const stack = (text: string) => {
    const parsed = parseFile({ path: 'stack.yml', absPath: '' }, text);
    const r = parsed.resources[0]!;
    return { resource: r, workloads: workloadsOf(r) };
  };

  it('has one workload per service, with replicas, modes and healthcheck defaults', () => {
    const { resource, workloads } = stack(
      [
        'services:',
        '  api:',
        '    image: api:1',
        '    healthcheck: {test: ["CMD", "true"], interval: 1m30s}',
        '  agent: {image: agent:1, deploy: {mode: global}}',
        '  migrate: {image: m:1, deploy: {mode: replicated-job}}',
        '  web: {image: web:1, deploy: {replicas: "${WEB_REPLICAS:-3}"}}',
      ].join('\n'),
    );
    expect(resource).toMatchObject({ platform: 'swarm', kind: 'Stack', name: 'stack' });
    expect(workloads.map((w) => [w.name, w.kind, w.replicas, w.longRunning, w.path])).toEqual([
      ['api', 'Service', 1, true, ['services', 'api']],
      ['agent', 'Service', undefined, true, ['services', 'agent']],
      ['migrate', 'Service', undefined, false, ['services', 'migrate']],
      ['web', 'Service', 3, true, ['services', 'web']],
    ]);
    const hc = workloads[0]!.containers[0]!.healthcheck!;
    expect([hc.interval, hc.timeout, hc.retries, hc.startPeriod, hc.disabled]).toEqual([90, 30, 3, 0, false]);
    expect([...hc.explicit]).toEqual(['interval']);
  });

  it('reads environment in map and list form, each variable at its own entry', () => {
    const { workloads } = stack(
      [
        'services:',
        '  a:',
        '    image: a:1',
        '    environment: {A: "1", B: 2, C: null}',
        '  b:',
        '    image: b:1',
        '    environment: ["X=1", "Y", "Z=a=b"]',
      ].join('\n'),
    );
    expect(workloads[0]!.containers[0]!.env.map((e) => [e.name, e.value, e.fromRef, e.valuePath])).toEqual([
      ['A', '1', false, ['services', 'a', 'environment', 'A']],
      ['B', '2', false, ['services', 'a', 'environment', 'B']],
      ['C', undefined, true, ['services', 'a', 'environment', 'C']],
    ]);
    expect(workloads[1]!.containers[0]!.env.map((e) => [e.name, e.value, e.valuePath])).toEqual([
      ['X', '1', ['services', 'b', 'environment', 0]],
      ['Y', undefined, ['services', 'b', 'environment', 1]],
      ['Z', 'a=b', ['services', 'b', 'environment', 2]],
    ]);
  });

  it('does not take azure.yaml and other files with a services map for stacks', () => {
    const parsed = parseFile(
      { path: 'azure.yaml', absPath: '' },
      'name: shop\nservices:\n  api:\n    project: ./src/api\n    language: js\n    host: containerapp\n',
    );
    expect(parsed.resources).toEqual([]);
    expect(parseFile({ path: 'c.yaml', absPath: '' }, 'services: {}\nversion: "3.8"\n').resources).toHaveLength(1);
  });
});

describe('env_file', () => {
  const dir = tempDir('shipshape-envfile-');
  const repo = path.join(dir, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'deploy'));
  writeFileSync(path.join(dir, 'outside.env'), 'OUTSIDE_PASSWORD=pl4nted-outside\n');
  writeFileSync(path.join(repo, 'deploy', 'app.env'), '# settings\nDB_PASSWORD=pl4nted-inside\n');
  symlinkSync(path.join(dir, 'outside.env'), path.join(repo, 'deploy', 'link.env'));
  writeFileSync(
    path.join(repo, 'deploy', 'stack.yml'),
    [
      'services:',
      '  app:',
      '    image: app:1',
      '    env_file:',
      '      - app.env',
      '      - ../../outside.env',
      '      - link.env',
      '      - missing.env',
      '      - /etc/hostname',
    ].join('\n') + '\n',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files inside the repository only, never through a symlink out of it, and reports a missing one', async () => {
    const result = await lint({ paths: ['deploy'], cwd: repo });
    const secrets = result.findings.filter((f) => f.ruleId === 'secret-in-env');
    expect(secrets.map((f) => `${f.file} ${f.range.startLine}:${f.range.startColumn}`)).toEqual(['deploy/app.env 2:1']);
    expect(result.findings.some((f) => f.message.includes('OUTSIDE_PASSWORD'))).toBe(false);
    const missing = result.findings.filter((f) => f.ruleId === 'swarm-invalid-value');
    expect(missing.map((f) => `${f.file} ${f.range.startLine}:${f.range.startColumn}`)).toEqual([
      'deploy/stack.yml 8:9',
    ]);
    expect(result.warnings.filter((w) => w.includes('outside the repository'))).toHaveLength(3);
    expect(result.files).toBe(2); // the stack and the env file it names
  });

  it('never prints a secret value', async () => {
    const result = await lint({ paths: ['deploy'], cwd: repo });
    for (const f of result.findings) expect(f.message).not.toContain('pl4nted');
  });
});

describe('suppression of one Swarm service', () => {
  it('honours x-shipshape on the service', async () => {
    const text = [
      'services:',
      '  relay:',
      '    image: relay:1',
      '    deploy: {replicas: 2}',
      '    healthcheck: {disable: true}',
      '    x-shipshape:',
      '      ignore: [healthcheck-missing]',
      '      reason: no port to probe',
    ].join('\n');
    const result = await lint({ paths: ['-'], stdin: text, cwd: ROOT });
    const f = result.findings.filter((x) => x.ruleId === 'healthcheck-missing');
    expect(f).toHaveLength(1);
    expect(f[0]!.suppressed).toBeDefined();
  });
});

describe('SARIF of a mixed Kubernetes and Swarm run', () => {
  it('is one valid log with results from both platforms', async () => {
    const result = await lint({ paths: ['examples'], cwd: ROOT });
    const log = JSON.parse(formatSarif(result));
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs).toHaveLength(1);
    const uris: string[] = log.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris.some((u) => u.startsWith('examples/k8s/'))).toBe(true);
    expect(uris.some((u) => u.startsWith('examples/swarm/') && u.endsWith('.yml'))).toBe(true);
    expect(uris).toContain('examples/swarm/orders.env');
    const swarmRules = new Set(
      log.runs[0].results
        .filter((r: { ruleId: string }) => SWARM_RULES.has(r.ruleId))
        .map((r: { ruleId: string }) => r.ruleId),
    );
    expect(swarmRules.has('secret-in-env')).toBe(true);
    expect(swarmRules.has('swarm-ignored-key')).toBe(true);
  });
});
