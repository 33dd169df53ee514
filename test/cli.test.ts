import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { validateSarif } from './helpers/sarif.js';
import { tempDir } from './helpers/temp.js';

const CLEAN = 'examples/k8s/shop/frontend.yaml';
const WARN_ONLY = 'test/fixtures/hpa-min-replicas/should-fire/hpa-versions.yaml';
const WITH_ERROR = 'test/fixtures/secret-in-env/should-fire/literals.yaml';

describe('exit codes', () => {
  it.each(
    [
      { name: 'clean file', args: [CLEAN], code: 0 },
      { name: 'warnings only, default --fail-on error', args: [WARN_ONLY], code: 0 },
      { name: 'warnings with --fail-on warning', args: [WARN_ONLY, '--fail-on', 'warning'], code: 1 },
      { name: 'an error finding', args: [WITH_ERROR], code: 1 },
      { name: 'an error finding with --fail-on none', args: [WITH_ERROR, '--fail-on', 'none'], code: 0 },
      { name: 'a note does not fail --fail-on warning', args: [CLEAN, '--fail-on', 'note'], code: 0 },
    ].map((c) => [`${c.name} → exit ${c.code}`, c] as const),
  )('%s', async (_title, { args, code }) => {
    expect((await runCli(args)).code).toBe(code);
  });

  it.each([
    ['unknown flag', ['--frobnicate']],
    ['bad --format', ['--format', 'xml', CLEAN]],
    ['bad --fail-on', ['--fail-on', 'sometimes', CLEAN]],
    ['missing path', ['does/not/exist.yaml']],
  ])('usage error (%s) → 2 with a message on stderr', async (_name, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('input', () => {
  it('reads stdin with -', async () => {
    const text = readFileSync(path.join(ROOT, WARN_ONLY), 'utf8');
    const r = await runCli(['-', '--format', 'json'], { input: text });
    const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; ruleId: string }[] };
    expect(out.findings.filter((f) => f.ruleId === 'hpa-min-replicas').map((f) => `${f.file}:${f.line}`)).toEqual([
      '<stdin>:7',
      '<stdin>:15',
      '<stdin>:28',
    ]);
  });

  it('reports invalid YAML at its line and still checks the other files', async () => {
    const dir = tempDir('shipshape-cli-');
    writeFileSync(path.join(dir, 'a-broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
    writeFileSync(path.join(dir, 'b-hpa.yaml'), readFileSync(path.join(ROOT, WARN_ONLY)));
    const r = await runCli(['.', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; column: number; ruleId: string }[] };
    const broken = out.findings.find((f) => f.ruleId === 'invalid-yaml');
    expect(broken).toMatchObject({ file: 'a-broken.yaml', line: 5, column: 1 });
    expect(out.findings.filter((f) => f.ruleId === 'hpa-min-replicas')).toHaveLength(3);
  });
});

describe('formats', () => {
  it('text: grouped by file, line:col, severity, message, rule id, summary', async () => {
    const r = await runCli([WARN_ONLY]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(WARN_ONLY);
    expect(lines[1]).toMatch(
      /^ {2}7:3 +warning {2}HorizontalPodAutoscaler web has minReplicas: 1, under 2 \(fixable\) {2}hpa-min-replicas$/,
    );
    expect(r.stdout).toContain(
      '⚠ 3 problems (0 errors, 3 warnings, 0 notes) in 1 of 1 file.\n  3 of them fixable with --fix\n',
    );
    expect(r.stdout).not.toContain('\x1b['); // not a TTY: no colors
  });

  it('text: a clean run says so', async () => {
    const r = await runCli([CLEAN]);
    expect(r.stdout).toBe('✔ No problems in 1 file (3 resources).\n');
  });

  it('--quiet prints nothing when nothing fails, and only failing findings otherwise', async () => {
    expect((await runCli([WARN_ONLY, '--quiet'])).stdout).toBe('');
    const r = await runCli([WITH_ERROR, WARN_ONLY, '--quiet']);
    expect(r.stdout).toContain('secret-in-env');
    expect(r.stdout).not.toContain('hpa-min-replicas');
  });

  it('json: documented shape with exact positions', async () => {
    const r = await runCli([WARN_ONLY, '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    expect(out.tool.name).toBe('shipshape');
    expect(out.summary).toEqual({ files: 1, resources: 3, errors: 0, warnings: 3, notes: 0, suppressed: 0 });
    expect(out.findings[0]).toMatchObject({
      ruleId: 'hpa-min-replicas',
      severity: 'warning',
      file: WARN_ONLY,
      line: 7,
      column: 3,
      endLine: 7,
      endColumn: 17,
      exact: true,
      resource: { kind: 'HorizontalPodAutoscaler', name: 'web' },
      path: 'spec.minReplicas',
    });
    expect(out.findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sarif: valid SARIF 2.1.0 with rules, regions and fingerprints', async () => {
    const r = await runCli(['test/fixtures', '--format', 'sarif']);
    const log = JSON.parse(r.stdout);
    expect(validateSarif(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('shipshape');
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'hpa-min-replicas');
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: WARN_ONLY, uriBaseId: '%SRCROOT%' });
    expect(Object.keys(result.locations[0].physicalLocation.region).sort()).toEqual([
      'endColumn',
      'endLine',
      'startColumn',
      'startLine',
    ]);
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('hpa-min-replicas');
    expect(result.partialFingerprints['shipshape/v1']).toMatch(/^[0-9a-f]{32}$/);
    const secretRule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'secret-in-env');
    expect(secretRule.properties['security-severity']).toBe('8.0');
    expect(secretRule.help.markdown).toContain('docs/rules/secret-in-env.md');
  });

  it('--output writes the report to a file', async () => {
    const out = path.join(tempDir('shipshape-out-'), 'r.sarif');
    const r = await runCli([WARN_ONLY, '--format', 'sarif', '--output', out]);
    expect(r.stdout).toBe('');
    expect(validateSarif(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
  });
});

describe('config', () => {
  const withConfig = (yaml: string): string => {
    const dir = tempDir('shipshape-cfg-');
    writeFileSync(path.join(dir, '.shipshape.yaml'), yaml);
    writeFileSync(path.join(dir, 'hpa.yaml'), readFileSync(path.join(ROOT, WARN_ONLY)));
    return dir;
  };

  it.each([
    [
      'unknown rule id',
      'rules:\n  hpa-min-replica: off\n',
      '.shipshape.yaml:2:3: unknown rule id "hpa-min-replica" — did you mean "hpa-min-replicas"?',
    ],
    [
      'bad severity',
      'rules:\n  hpa-min-replicas: loud\n',
      '.shipshape.yaml:2:3: rules.hpa-min-replicas: must be one of off, note, warning, error',
    ],
    [
      'bad option type',
      'rules:\n  hpa-min-replicas:\n    options:\n      minReplicas: two\n',
      '.shipshape.yaml:4:7: rules.hpa-min-replicas.options.minReplicas: must be integer',
    ],
    [
      'unknown option',
      'rules:\n  hpa-min-replicas:\n    options:\n      minReplica: 3\n',
      '.shipshape.yaml:4:7: unknown key "rules.hpa-min-replicas.options.minReplica" — did you mean "minReplicas"?',
    ],
    [
      'unknown top-level key',
      'rule:\n  hpa-min-replicas: off\n',
      '.shipshape.yaml:1:1: unknown key "rule" — did you mean "rules"?',
    ],
    ['broken YAML', 'rules: [\n', '.shipshape.yaml:2:1: config is not valid YAML'],
  ])('%s → exit 2 and one line naming file, line and key', async (_name, yaml, message) => {
    const r = await runCli(['.'], { cwd: withConfig(yaml) });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('severity and options from the config apply', async () => {
    const dir = withConfig('rules:\n  hpa-min-replicas:\n    severity: error\n    options: {minReplicas: 1}\n');
    const r = await runCli(['.', '--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout);
    // minReplicas 1 is now acceptable: only the HPA with minReplicas 0 remains, as an error.
    expect(out.findings.map((f: { line: number; severity: string }) => `${f.line} ${f.severity}`)).toEqual([
      '28 error',
    ]);
    expect(r.code).toBe(1);
  });

  it('the shipshape.io/ignore annotation suppresses: kept in SARIF, not counted', async () => {
    const dir = tempDir('shipshape-ign-');
    writeFileSync(
      path.join(dir, 'd.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  annotations:\n    shipshape.io/ignore: "single-replica, secret-in-env"\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    spec:\n      containers:\n        - name: x\n          env:\n            - {name: DB_PASSWORD, value: planted-secret-xyz}\n',
    );
    const text = await runCli(['d.yaml'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2 suppressed');
    const sarif = JSON.parse((await runCli(['d.yaml', '--format', 'sarif'], { cwd: dir })).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['secret-in-env', 'single-replica']);
    expect(suppressed[0].suppressions[0].kind).toBe('inSource');
  });
});
