import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_URL } from '../src/commands/init.js';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp.js';

/** The command line as a new user meets it: usage errors, --output, --kube-version, --max-warnings, --print-config, init. */
const WARN_ONLY = 'test/fixtures/hpa-min-replicas/should-fire/hpa-versions.yaml';
let dir: string;

beforeAll(() => {
  dir = tempDir('shipshape-polish-');
  writeFileSync(path.join(dir, 'hpa.yaml'), readFileSync(path.join(ROOT, WARN_ONLY)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors: `shipshape: …` on one line, exit 2', () => {
  it.each([
    ['an unknown option', ['--frobnicate'], "shipshape: unknown option '--frobnicate'\n"],
    [
      'an unknown format',
      ['--format', 'xml', '.'],
      "shipshape: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, compact, json, sarif, junit, gitlab, checkstyle.\n",
    ],
    ['a missing option value', ['.', '--output'], "shipshape: option '-o, --output <file>' argument missing\n"],
    [
      '--max-warnings that is not a number',
      ['.', '--max-warnings', 'many'],
      "shipshape: option '--max-warnings <n>' argument 'many' is invalid. expected a whole number, 0 or more\n",
    ],
    [
      '--fail-on with an unknown severity',
      ['.', '--fail-on', 'sometimes'],
      "shipshape: option '--fail-on <severity>' argument 'sometimes' is invalid. expected one of error, warning, note, none\n",
    ],
    [
      'an unknown option of a subcommand',
      ['init', '--preset', 'lax'],
      "shipshape: option '--preset <name>' argument 'lax' is invalid. Allowed choices are recommended, strict.\n",
    ],
    ['a missing argument of a subcommand', ['explain'], "shipshape: missing required argument 'rule-id'\n"],
    ['a path that does not exist', ['nope.yaml'], 'shipshape: no such file or directory: nope.yaml\n'],
    [
      'an unknown --rule id',
      ['.', '--rule', 'single-replicas=off'],
      'shipshape: --rule single-replicas=off: unknown rule id "single-replicas" — did you mean "single-replica"?\n',
    ],
  ])('%s', async (_name, args, stderr) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
  });
});

describe('--output', () => {
  it('creates the directories it needs', async () => {
    const r = await runCli(['hpa.yaml', '--format', 'sarif', '-o', 'reports/ci/x.sarif'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const log = JSON.parse(readFileSync(path.join(dir, 'reports/ci/x.sarif'), 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { region: object } }[] }[] }[];
    };
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region).toEqual({
      startLine: 7,
      startColumn: 3,
      endLine: 7,
      endColumn: 17,
    });
  });
});

describe('--write-baseline', () => {
  it('creates the directories it needs too', async () => {
    const r = await runCli(['hpa.yaml', '--write-baseline', 'ci/baseline/shipshape.json'], { cwd: dir });
    expect(r.stderr).toBe('shipshape: wrote 3 findings to ci/baseline/shipshape.json\n');
    expect(r.code).toBe(0);
    expect(
      (JSON.parse(readFileSync(path.join(dir, 'ci/baseline/shipshape.json'), 'utf8')) as { findings: unknown[] })
        .findings,
    ).toHaveLength(3);
  });
});

describe('--kube-version', () => {
  it('outside the bundled schemas: a warning naming the version used', async () => {
    const r = await runCli(['hpa.yaml', '--kube-version', '1.20', '--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { warnings: string[] };
    expect(out.warnings).toEqual([
      '--kube-version 1.20: no bundled schemas for Kubernetes 1.20; validating against 1.32 (bundled: 1.32, 1.33, 1.34, 1.36)',
    ]);
    const text = await runCli(['hpa.yaml', '--kube-version', '1.35'], { cwd: dir });
    expect(text.stdout).toContain(
      'warning: --kube-version 1.35: no bundled schemas for Kubernetes 1.35; validating against 1.34',
    );
  });

  it.each(['sarif', 'compact', 'junit', 'gitlab', 'checkstyle'])(
    '-f %s, which has no place for warnings: on stderr',
    async (format) => {
      const r = await runCli(['hpa.yaml', '--kube-version', '1.20', '-f', format], { cwd: dir });
      expect(r.stderr).toBe(
        'shipshape: warning: --kube-version 1.20: no bundled schemas for Kubernetes 1.20; validating against 1.32 (bundled: 1.32, 1.33, 1.34, 1.36)\n',
      );
      expect(r.code).toBe(0);
    },
  );

  it('a bundled one: no warning', async () => {
    const r = await runCli(['hpa.yaml', '--kube-version', '1.33', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(r.stdout) as { warnings: string[] }).warnings).toEqual([]);
  });
});

describe('--max-warnings', () => {
  // hpa.yaml has 3 warnings (hpa-min-replicas) and no error.
  it.each([
    [[], 0, ''],
    [['--max-warnings', '3'], 0, ''],
    [['--max-warnings', '2'], 1, 'shipshape: 3 warnings, more than --max-warnings 2 allows\n'],
    [['--max-warnings', '0', '--rule', 'hpa-min-replicas=off'], 0, ''],
    [['--max-warnings', '0', '--format', 'json'], 1, 'shipshape: 3 warnings, more than --max-warnings 0 allows\n'],
  ] as const)('%j → exit %i', async (args, code, stderr) => {
    const r = await runCli(['hpa.yaml', ...args], { cwd: dir });
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
  });

  it('does not count suppressed warnings', async () => {
    const sub = path.join(dir, 'quiet');
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      path.join(sub, 'hpa.yaml'),
      `# shipshape-ignore-file hpa-min-replicas -- fixed size\n${readFileSync(path.join(ROOT, WARN_ONLY), 'utf8')}`,
    );
    expect((await runCli(['hpa.yaml', '--max-warnings', '0'], { cwd: sub })).code).toBe(0);
  });
});

describe('--print-config', () => {
  it('prints the settings in effect for one file: config, then the overrides that match it, then --rule', async () => {
    const cwd = tempDir('shipshape-print-');
    writeFileSync(
      path.join(cwd, '.shipshape.yaml'),
      'rules:\n  single-replica: note\n  liveness-probe-aggressive: {options: {minRestartWindowSeconds: 20}}\noverrides:\n  - files: ["dev/**"]\n    rules: {single-replica: off}\n',
    );
    const dev = JSON.parse(
      (await runCli(['--print-config', 'dev/app.yaml', '--rule', 'pdb-missing=error'], { cwd })).stdout,
    );
    expect(dev).toMatchObject({
      file: 'dev/app.yaml',
      config: ['.shipshape.yaml'],
      ignored: false,
      overrides: [['dev/**'], ['**']],
    });
    expect(dev.rules['single-replica']).toEqual({ severity: 'off' });
    expect(dev.rules['pdb-missing']).toEqual({ severity: 'error' });
    expect(dev.rules['liveness-probe-aggressive']).toEqual({
      severity: 'warning',
      options: { minRestartWindowSeconds: 20 },
    });
    const prod = JSON.parse((await runCli(['--print-config', 'prod/app.yaml'], { cwd })).stdout);
    expect(prod.rules['single-replica']).toEqual({ severity: 'note' });
    expect(prod.overrides).toEqual([]);
  });
});

describe('shipshape init', () => {
  let cwd: string;
  let text: string;
  beforeAll(async () => {
    cwd = tempDir('shipshape-init-');
    expect((await runCli(['init'], { cwd })).code).toBe(0);
    text = readFileSync(path.join(cwd, '.shipshape.yaml'), 'utf8');
    writeFileSync(path.join(cwd, 'hpa.yaml'), readFileSync(path.join(ROOT, WARN_ONLY)));
  });

  it('points editors at the config schema', () => {
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
    expect(CONFIG_SCHEMA_URL.endsWith('/rules-config/config.schema.json')).toBe(true);
    expect(existsSync(path.join(ROOT, 'rules-config/config.schema.json'))).toBe(true);
  });

  const examples = (t: string): number[] => t.split('\n').flatMap((l, i) => (/^\s+# /.test(l) ? [i] : []));
  const uncomment = (t: string, at: readonly number[]): string =>
    t
      .split('\n')
      .map((l, i) => (at.includes(i) ? l.replace(/^(\s+)# /, '$1') : l))
      .join('\n');

  it('has examples, and every one of them can be uncommented alone', async () => {
    const lines = examples(text);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const i of lines) {
      writeFileSync(path.join(cwd, '.shipshape.yaml'), uncomment(text, [i]));
      const r = await runCli(['hpa.yaml', '--format', 'json'], { cwd });
      expect(r.stderr, text.split('\n')[i]).toBe('');
      expect([0, 1], text.split('\n')[i]).toContain(r.code);
    }
  });

  it('all examples uncommented at once: valid for shipshape and for the schema editors use', async () => {
    const all = uncomment(text, examples(text));
    writeFileSync(path.join(cwd, '.shipshape.yaml'), all);
    const r = await runCli(['hpa.yaml', '--format', 'json'], { cwd });
    expect(r.stderr).toBe('');
    const validate = new Ajv.default({ strict: false }).compile(
      JSON.parse(readFileSync(path.join(ROOT, 'rules-config/config.schema.json'), 'utf8')),
    );
    expect(validate(parse(all)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });
});
