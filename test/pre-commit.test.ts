import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { runProcess } from './helpers/run-cli.js';

/**
 * The hooks of .pre-commit-hooks.yaml, installed and run by the real pre-commit (Debian's 3.0.4 in CI): it
 * clones this repository, runs `npm install` and `npm pack` in it (the `prepare` script builds dist/), installs
 * the tarball into its own node environment and runs `shipshape` from there. Slow (a real npm install), never
 * skipped: without pre-commit on PATH the test fails.
 */
const GIT = [
  '-c',
  'user.name=shipshape-test',
  '-c',
  'user.email=test@shipshape.invalid',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'init.defaultBranch=main',
];

/** This working tree as it would be committed (tracked and new files, minus ignored ones), as a fresh repository. */
function snapshotRepo(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'shipshape-hook-repo-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    const src = path.join(ROOT, f);
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    try {
      copyFileSync(src, path.join(repo, f));
    } catch {
      // deleted in the working tree but not yet from the index
    }
  }
  execFileSync('git', [...GIT, 'init', '-q'], { cwd: repo });
  execFileSync('git', [...GIT, 'add', '-A'], { cwd: repo });
  execFileSync('git', [...GIT, 'commit', '-q', '-m', 'snapshot'], { cwd: repo });
  return repo;
}

function projectRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-hook-project-'));
  writeFileSync(
    path.join(dir, 'bad.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      env:\n        - name: DB_PASSWORD\n          value: "hunter2-but-longer"\n',
  );
  writeFileSync(
    path.join(dir, 'good.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  LOG_LEVEL: info\n',
  );
  execFileSync('git', [...GIT, 'init', '-q'], { cwd: dir });
  execFileSync('git', [...GIT, 'add', '-A'], { cwd: dir });
  return dir;
}

describe('pre-commit hooks', () => {
  it("pre-commit is installed (CI installs Debian's package)", async () => {
    const run = await runProcess('pre-commit', ['--version']).catch(() => undefined);
    expect(run?.code, 'pre-commit is not on PATH: apt-get install -y pre-commit').toBe(0);
  });

  it('fail on a bad manifest with the finding printed, and pass on a good one', { timeout: 900_000 }, async () => {
    const repo = snapshotRepo();
    const project = projectRepo();
    const env = {
      ...process.env,
      PRE_COMMIT_HOME: mkdtempSync(path.join(tmpdir(), 'shipshape-pre-commit-home-')),
      NO_COLOR: '1',
      PRE_COMMIT_COLOR: 'never',
    };

    // Both hooks on the bad file: each installs the package (npm install + npm pack + npm install -g) once.
    const bad = await runProcess('pre-commit', ['try-repo', repo, '--files', 'bad.yaml', 'good.yaml'], {
      cwd: project,
      env,
      timeoutMs: 600_000,
    });
    const badOut = bad.stdout + bad.stderr;
    expect(badOut, badOut).toMatch(/^shipshape\.+Failed$/m);
    expect(badOut).toMatch(/^shipshape \(whole repository\)\.+Failed$/m);
    expect(badOut).toMatch(
      /^bad\.yaml\n(?: {2}.*\n)*? {2}11:11 +error +.*env DB_PASSWORD holds a literal secret.*secret-in-env$/m,
    );
    expect(badOut).not.toContain('hunter2');
    expect(bad.code).toBe(1);

    // The staged hook checks what the commit records (the whole index, against HEAD): take bad.yaml out of it.
    execFileSync('git', [...GIT, 'rm', '-q', '-f', 'bad.yaml'], { cwd: project });
    const good = await runProcess('pre-commit', ['try-repo', repo, 'shipshape', '--files', 'good.yaml'], {
      cwd: project,
      env,
      timeoutMs: 600_000,
    });
    const goodOut = good.stdout + good.stderr;
    expect(goodOut, goodOut).toMatch(/^shipshape\.+Passed$/m);
    expect(good.code).toBe(0);
    console.log(`pre-commit try-repo: bad ${Math.round(bad.ms / 1000)}s, good ${Math.round(good.ms / 1000)}s`);
  });
});
