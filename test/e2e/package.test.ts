import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { runProcess, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The npm package as people install it: `npm pack`, then the tarball installed into an empty directory with the
 * dependencies from npm's cache where it has them (`npm ci` fills it with tarballs, not with the registry's metadata), and `npx shipshape` run there.
 */

let dir: string;
let tarball: string;
let files: string[];

beforeAll(() => {
  dir = tempDir('shipshape-pack-');
  // dist/ is built already (global setup); --ignore-scripts skips the `prepare` build.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const packed = (JSON.parse(out) as { filename: string; files: { path: string }[] }[])[0]!;
  tarball = path.join(dir, packed.filename);
  files = packed.files.map((f) => f.path);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm pack', () => {
  it('holds what the CLI and the API need, the license, and nothing else', () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/shipshape.js',
      'dist/cli.js',
      'dist/index.js',
      'dist/index.d.ts',
      'rules-config/recommended.yaml',
      'rules-config/config.schema.json',
      'schemas/compose-spec.validate.js',
      'docs/rules/pdb-missing.md',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('dist/bundle/'))).toBe(true);
    // The CommonJS bundle (run with V8's code cache on Node < 22.1) and the models read per kind (scripts/bundle-cli.mjs).
    expect(files).toContain('dist/bundle-cjs/cli.cjs');
    expect(files.some((f) => /^dist\/kube-models\/1\.\d+\.json$/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith('schemas/kubernetes/') && f.endsWith('.json.gz'))).toBe(true);
    const unwanted = files.filter(
      (f) =>
        /^(dist\/action|dist\/tools|src|test|scripts|bench|examples|deploy|\.ci|\.github)\//.test(f) ||
        f === 'action.yml' ||
        f === 'docs/architecture.md',
    );
    expect(unwanted).toEqual([]);
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).license).toBe('Apache-2.0');
  });

  it("installs into an empty directory (npm's cache first, the registry for what it lacks), and `npx shipshape` checks a fixture as the clone does", async () => {
    const app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), '{ "name": "try-shipshape", "private": true }\n');
    execFileSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts=false', tarball],
      {
        cwd: app,
        stdio: 'pipe',
      },
    );
    const target = path.join(ROOT, 'examples/k8s/shop');
    const installed = await runProcess('npx', ['--no-install', 'shipshape', target, '--format', 'json'], { cwd: app });
    const clone = await runCli([target, '--format', 'json'], { cwd: app });
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(clone.code);
    const findings = (s: string) =>
      (JSON.parse(s) as { findings: { ruleId: string; line: number; column: number }[] }).findings.map(
        (f) => `${f.ruleId} ${f.line}:${f.column}`,
      );
    expect(findings(installed.stdout).length).toBeGreaterThan(3);
    expect(findings(installed.stdout)).toEqual(findings(clone.stdout));
    // The rule pages (explain) and the presets come from the package too.
    const explain = await runProcess('npx', ['--no-install', 'shipshape', 'explain', 'pdb-missing'], { cwd: app });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('## Why it matters in production');
    expect(explain.stdout).toBe((await runCli(['explain', 'pdb-missing'], { cwd: app })).stdout);
  }, 180_000);
});
