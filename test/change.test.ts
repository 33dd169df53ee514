import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { validateSarif } from './helpers/sarif.js';
import { tempDir } from './helpers/temp.js';

/** The change-aware gate and one frame of reference, on real git repositories built in temporary directories. */
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

/** A git repository holding a fixture of test/fixtures/units, committed as the base. */
function repo(fixture: string): string {
  const dir = tempDir('shipshape-change-');
  temps.push(dir);
  cpSync(path.join(ROOT, 'test/fixtures/units', fixture), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

interface Report {
  findings: { ruleId: string; file: string; line: number; baselineState?: string; fingerprint: string }[];
  fixed?: { ruleId: string; file: string }[];
  warnings: string[];
}

async function json(dir: string, args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await runCli(['--format', 'json', ...args], { cwd: dir });
  return { code: run.code, report: JSON.parse(run.stdout || '{}') as Report, stderr: run.stderr };
}

describe('--new-since: findings the change introduces, wherever they are', () => {
  it('a change that deletes a PodDisruptionBudget fails with the new pdb-missing on the untouched Deployment', async () => {
    const dir = repo('argocd');
    unlinkSync(path.join(dir, 'apps/shop/policies/pdb.yaml'));
    git(dir, 'commit', '-q', '-am', 'delete the PDB');
    const { code, report, stderr } = await json(dir, ['--new-since', 'HEAD~1', '--fail-on', 'warning', '.']);
    expect(code, stderr).toBe(1);
    expect(report.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.file}:${f.line}`)).toEqual([
      'unchanged pdb-missing apps/billing/deployment.yaml:2',
      'new pdb-missing apps/shop/api/deployment.yaml:2',
    ]);
    // The working tree is untouched: no file written, nothing staged.
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a finding fixed by the change is listed as fixed, and only new findings fail the run', async () => {
    const dir = repo('argocd');
    writeFileSync(
      path.join(dir, 'apps/billing/pdb.yaml'),
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: billing\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: billing}\n',
    );
    const { code, report } = await json(dir, ['--new-since', 'main', '--fail-on', 'note', '.']);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.fixed!.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['pdb-missing apps/billing/deployment.yaml']);
    const text = await runCli(['--new-since', 'main', '.'], { cwd: dir });
    expect(text.stdout).toMatch(
      /^Fixed since main: 1 finding\n {2}apps\/billing\/deployment\.yaml {2}Deployment billing runs 2 pods/m,
    );
  });

  it('an overlay patch that sets replicas: 1 is new, at the patch', async () => {
    const dir = repo('overlays');
    writeFileSync(
      path.join(dir, 'overlays/prod/replicas.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n',
    );
    writeFileSync(
      path.join(dir, 'overlays/prod/kustomization.yaml'),
      readFileSync(path.join(dir, 'overlays/prod/kustomization.yaml'), 'utf8') + 'patches:\n  - path: replicas.yaml\n',
    );
    for (const mode of ['--render', '--no-render']) {
      const { code, report } = await json(dir, ['--new-since', 'HEAD', '--fail-on', 'warning', mode, '.']);
      expect(code).toBe(1);
      expect(
        report.findings.filter((f) => f.baselineState === 'new').map((f) => `${f.ruleId} ${f.file}:${f.line}`),
      ).toEqual(['single-replica overlays/prod/replicas.yaml:6']);
    }
  });

  it('a revision that is not a commit: one line, exit 2', async () => {
    const dir = repo('monorepo');
    const run = await runCli(['--new-since', 'no-such-branch', '.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('shipshape: --new-since no-such-branch: no such commit in this repository\n');
  });
});

describe('--staged: what the next commit records, against HEAD (the pre-commit hook)', () => {
  it('checks the index, not unstaged edits; a cross-file target in a committed, unstaged file is seen', async () => {
    const dir = repo('monorepo');
    // Only the HPA is new and staged; its Deployment was committed before and is not part of this commit.
    writeFileSync(
      path.join(dir, 'kubernetes-manifests/hpa.yaml'),
      readFileSync(path.join(dir, 'extras/hpa/hpa.yaml'), 'utf8').replace('minReplicas: 5', 'minReplicas: 1'),
    );
    git(dir, 'add', 'kubernetes-manifests/hpa.yaml');
    // An unstaged edit that would fix the HPA is not what the commit records.
    writeFileSync(
      path.join(dir, 'kubernetes-manifests/hpa.yaml'),
      readFileSync(path.join(dir, 'extras/hpa/hpa.yaml'), 'utf8'),
    );
    const { code, report } = await json(dir, ['--staged', '--fail-on', 'warning', '.']);
    expect(code).toBe(1);
    expect(report.findings.filter((f) => f.baselineState === 'new').map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'hpa-min-replicas kubernetes-manifests/hpa.yaml',
      // new in an unchanged file: the committed replicas: 1 now fights the HPA
      'replicas-with-hpa kubernetes-manifests/web.yaml',
    ]);
    expect(report.findings.some((f) => f.ruleId === 'hpa-target-missing')).toBe(false);
    // The HPA now scales web: single-replica of the committed Deployment is gone, a fix listed as such.
    expect(report.fixed!.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['single-replica kubernetes-manifests/web.yaml']);
  });

  it('before the first commit, everything staged is new', async () => {
    const dir = tempDir('shipshape-change-');
    temps.push(dir);
    cpSync(path.join(ROOT, 'test/fixtures/units/monorepo'), dir, { recursive: true });
    git(dir, 'init', '-q');
    git(dir, 'add', 'kubernetes-manifests');
    const { code, report } = await json(dir, ['--staged', '--fail-on', 'warning', '.']);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.file}`)).toEqual([
      'new single-replica kubernetes-manifests/web.yaml',
    ]);
  });
});

describe('one frame of reference, from any working directory', () => {
  it('config globs are relative to the config file: the same verdict from the root and from a subfolder', async () => {
    const dir = repo('argocd');
    writeFileSync(
      path.join(dir, '.shipshape.yaml'),
      'ignore:\n  - apps/billing/**\noverrides:\n  - files: apps/shop/**\n    rules: {pdb-missing: error}\n',
    );
    rmSync(path.join(dir, 'apps/shop/policies'), { recursive: true });
    const fromRoot = await json(dir, ['apps']);
    const fromApps = await json(path.join(dir, 'apps'), ['.']);
    const fromShop = await json(path.join(dir, 'apps/shop'), ['.']);
    expect(fromRoot.report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'pdb-missing apps/shop/api/deployment.yaml',
    ]);
    expect(fromApps.report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'pdb-missing shop/api/deployment.yaml',
    ]);
    expect(fromShop.report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['pdb-missing api/deployment.yaml']);
    expect([fromRoot.code, fromApps.code, fromShop.code]).toEqual([1, 1, 1]);
    // Fingerprints are relative to the repository root: one baseline serves every working directory.
    expect(new Set([fromRoot, fromApps, fromShop].map((r) => r.report.findings[0]!.fingerprint)).size).toBe(1);
    await runCli(['--write-baseline', '.shipshape-baseline.json', 'apps'], { cwd: dir });
    const baselined = await json(path.join(dir, 'apps'), ['--baseline', '../.shipshape-baseline.json', '.']);
    expect(baselined.code, JSON.stringify(baselined.report)).toBe(0);
    expect(baselined.report.findings.map((f) => f.baselineState)).toEqual(['unchanged']);
  });

  it('a symlinked file is reported once, at its own path', async () => {
    const dir = repo('monorepo');
    // `aliases/` sorts before `kubernetes-manifests/`: the link is met first.
    mkdirSync(path.join(dir, 'aliases'));
    symlinkSync(path.join(dir, 'kubernetes-manifests/web.yaml'), path.join(dir, 'aliases/web.yaml'));
    const { report } = await json(dir, ['.']);
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'single-replica kubernetes-manifests/web.yaml',
    ]);
  });

  it('a baseline that matches no finding says so', async () => {
    const dir = repo('monorepo');
    writeFileSync(
      path.join(dir, 'other.json'),
      JSON.stringify({
        version: 1,
        findings: [{ fingerprint: '0'.repeat(32), ruleId: 'single-replica', file: 'x.yaml' }],
      }),
    );
    const { report } = await json(dir, ['--baseline', 'other.json', '.']);
    expect(report.warnings).toEqual([
      'none of the 1 entries of the baseline matched a finding: every finding is reported as new (was it written for another repository root?)',
    ]);
  });

  it('SARIF from a subfolder: URIs relative to the repository root, with %SRCROOT% defined, valid against the schema', async () => {
    const dir = repo('monorepo');
    const run = await runCli(['--format', 'sarif', '.'], { cwd: path.join(dir, 'kubernetes-manifests') });
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        originalUriBaseIds: Record<string, { uri: string }>;
        results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[];
      }[];
    };
    const loc = sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(loc).toEqual({ uri: 'kubernetes-manifests/web.yaml', uriBaseId: '%SRCROOT%' });
    expect(sarif.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${dir}/`);
    expect(validateSarif(sarif)).toEqual([]);
  });

  it('empty input fails loudly: an empty directory, a mistyped path, empty stdin; --allow-empty passes', async () => {
    const dir = tempDir('shipshape-empty-');
    temps.push(dir);
    mkdirSync(path.join(dir, 'empty'));
    const empty = await runCli(['empty'], { cwd: dir });
    expect([empty.code, empty.stderr]).toEqual([
      2,
      'shipshape: no Kubernetes or Swarm object found in empty (--allow-empty if that is expected)\n',
    ]);
    const typo = await runCli(['k8s-typo'], { cwd: dir });
    expect([typo.code, typo.stderr]).toEqual([2, 'shipshape: no such file or directory: k8s-typo\n']);
    const stdin = await runCli(['-'], { cwd: dir, input: '' });
    expect([stdin.code, stdin.stderr]).toEqual([
      2,
      'shipshape: no Kubernetes or Swarm object found in standard input (--allow-empty if that is expected)\n',
    ]);
    expect((await runCli(['empty', '--allow-empty'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, '.shipshape.yaml'), 'allowEmpty: true\n');
    expect((await runCli(['empty'], { cwd: dir })).code).toBe(0);
  });
});
