import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { defineResourceRule } from '../../src/engine/rule.js';
import { lint, rules } from '../../src/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { runCli, runProcess } from '../helpers/run-cli.js';
import { expectHealthyChecked, HEALTHY, HEALTHY_NAME, tempDir, writeTree } from './helpers.js';

const STACK_LINE = /\n\s+at /;

/**
 * A copy of the built package without its `ajv` dependency: a broken installation, the kind of failure that is nobody's
 * input mistake. No test hook in the code is needed to provoke an internal error this way.
 */
function brokenInstall(): string {
  const root = tempDir('shipshape-broken-install-');
  cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  for (const entry of ['package.json', 'schemas', 'rules-config', 'docs'])
    symlinkSync(path.join(ROOT, entry), path.join(root, entry));
  mkdirSync(path.join(root, 'node_modules'));
  return root;
}

/** The CLI of another installation, run by the one CLI runner. */
const runIn = (install: string, args: string[], cwd: string) =>
  runProcess(process.execPath, [path.join(install, 'dist/cli.js'), ...args], { cwd });

describe('internal errors: one line and exit 2; --debug adds the stack trace', () => {
  it('a broken installation', async () => {
    const install = brokenInstall();
    const dir = writeTree(tempDir(), {
      '.shipshape.yaml': 'rules:\n  single-replica: error\n',
      [HEALTHY_NAME]: HEALTHY,
    });
    const plain = await runIn(install, ['.'], dir);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/^shipshape: internal error: .*ajv.* \(run with --debug for details\)\n$/);
    expect(plain.stderr).not.toMatch(STACK_LINE);

    const debug = await runIn(install, ['.', '--debug'], dir);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^shipshape: internal error: .*ajv/);
    expect(debug.stderr).not.toContain('run with --debug');
    expect(debug.stderr).toMatch(STACK_LINE);
  });

  it('a rule that throws: an internal-error finding for that resource, every other check still runs', async () => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY, 'other.yaml': HEALTHY.replace(/healthy/g, 'other') });
    const broken = defineResourceRule({
      id: 'broken-rule',
      meta: {
        severity: 'warning',
        family: 'reliability',
        description: 'd',
        rationale: 'r',
        remediation: 'm',
        messages: {},
      },
      applies: { platforms: ['kubernetes'] },
      check(r) {
        if (r.name === 'other')
          throw new TypeError("Cannot read properties of undefined (reading 'spec')\n    at fake (x.js:1:1)");
      },
    });
    const all = [...rules, broken];
    const result = await lint({ paths: ['.'], cwd: dir, rules: all, config: defaultConfig(all) });
    const internal = result.findings.filter((f) => f.ruleId === 'internal-error');
    expect(
      internal.map((f) => `${f.file}:${f.range.startLine}:${f.range.startColumn} ${f.severity} ${f.message}`),
    ).toEqual([
      'other.yaml:2:1 error rule broken-rule failed on this resource and was skipped: TypeError: Cannot read properties of undefined (reading "…")',
    ]);
    expectHealthyChecked(result.findings);
    expect(result.findings.some((f) => f.file === 'other.yaml' && f.ruleId === 'single-replica')).toBe(true);
  });
});

describe('usage and output errors: one line, exit 2, no stack trace', () => {
  it.each([
    ['an unknown flag', ['--frobnicate'], /^shipshape: unknown option '--frobnicate'\n$/],
    ['a bad --format', ['--format', 'xml', '.'], /--format/],
    [
      '--output under a regular file',
      ['.', '--output', `${HEALTHY_NAME}/report.sarif`],
      new RegExp(
        `^shipshape: cannot write --output ${HEALTHY_NAME.replace(/\./g, '\\.')}/report\\.sarif: (ENOTDIR|EEXIST)\\n$`,
      ),
    ],
    ['--output that is a directory', ['.', '--output', '.'], /^shipshape: cannot write --output \.: EISDIR\n$/],
  ])('%s', async (_name, args, stderr) => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY });
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('config is data only: no code, no network, no file read outside the repository', () => {
  const withConfig = (config: string, extra: Record<string, string> = {}): string =>
    writeTree(tempDir(), { '.shipshape.yaml': config, [HEALTHY_NAME]: HEALTHY, ...extra });

  it.each([
    [
      'an alias bomb',
      `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nrules: {}\n`,
      /^shipshape: \.shipshape\.yaml: config cannot be read: its aliases expand more than 100 times/,
    ],
    [
      'deep nesting',
      `rules: ${'['.repeat(50_000)}\n`,
      /^shipshape: \.shipshape\.yaml: config is not valid YAML: nested more than 256 levels deep/,
    ],
    [
      'binary',
      '\u0000\u0001\u0002rules: {}\n',
      /^shipshape: \.shipshape\.yaml:1:1: config is not valid YAML: this is a binary file/,
    ],
    [
      'JavaScript in a string is just a string',
      'rules:\n  single-replica: "${process.exit(7)}"\n',
      /^shipshape: \.shipshape\.yaml:2:3: rules\.single-replica: must be one of/,
    ],
    [
      'a YAML tag that would construct code elsewhere',
      'rules: !!js/function "function () { process.exit(7) }"\n',
      /^shipshape: \.shipshape\.yaml/,
    ],
  ])('%s: a config error, nothing run', async (_name, config, stderr) => {
    const r = await runCli(['.'], { cwd: withConfig(config) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('extends: a file outside the repository is not read', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'base.yaml'), 'rules:\n  single-replica: off\n');
    const dir = withConfig(`extends: ${path.join(outside, 'base.yaml')}\n`);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const r = await runCli(['.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^shipshape: \.shipshape\.yaml:1:1: extends: ".*base\.yaml" is outside the repository \(\.\): not read\n$/,
    );
    const up = withConfig('extends: ../../../../../../../../etc/passwd.yaml\n');
    execFileSync('git', ['init', '-q'], { cwd: up });
    expect((await runCli(['.'], { cwd: up })).stderr).toContain('is outside the repository');
  });

  it('extends: a symlink that leads outside the repository is not followed', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'base.yaml'), 'rules:\n  single-replica: off\n');
    const dir = withConfig('extends: ./base.yaml\n');
    symlinkSync(path.join(outside, 'base.yaml'), path.join(dir, 'base.yaml'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const r = await runCli(['.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('extends: "./base.yaml" is outside the repository');
  });

  it('extends: a FIFO inside the repository is never opened (no hang)', async () => {
    const dir = withConfig('extends: ./base.yaml\n');
    execFileSync('mkfifo', [path.join(dir, 'base.yaml')]);
    const r = await runCli(['.'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.killed).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/extends: cannot read "\.\/base\.yaml" \(not a regular file\)/);
  });

  it('extends inside the repository works, and policies accept no remote $ref and no exponential pattern', async () => {
    const ok = withConfig('extends: ./team/base.yaml\n', { 'team/base.yaml': 'rules:\n  single-replica: off\n' });
    execFileSync('git', ['init', '-q'], { cwd: ok });
    const r = await runCli(['.'], { cwd: ok });
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('single-replica');

    const policy = (schema: string): string =>
      `policies:\n  - id: acme-name\n    description: Names follow the convention.\n    target: resource\n    schema:\n${schema}`;
    const remote = await runCli(['.'], { cwd: withConfig(policy('      $ref: "https://example.com/schema.json"\n')) });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('only local references');
    const redos = await runCli(['.'], {
      cwd: withConfig(
        policy('      properties:\n        metadata:\n          properties:\n            name: {pattern: "^(a+)+$"}\n'),
      ),
    });
    expect(redos.code).toBe(2);
    expect(redos.stderr).toMatch(
      /policies\[0\]\.schema\.properties\.metadata\.properties\.name\.pattern: the pattern "\^\(a\+\)\+\$" repeats a group that itself repeats/,
    );
  });

  it('the config is read once, as data: a config file that is also walked is not a manifest problem', async () => {
    const dir = withConfig('rules:\n  single-replica: note\n');
    const r = await runCli(['.', '--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { findings: { file: string; severity: string; ruleId: string }[] };
    expect(out.findings.filter((f) => f.file === '.shipshape.yaml')).toEqual([]);
    expect(out.findings.find((f) => f.ruleId === 'single-replica')?.severity).toBe('note');
    expect(readFileSync(path.join(dir, '.shipshape.yaml'), 'utf8')).toContain('note');
  });
});
