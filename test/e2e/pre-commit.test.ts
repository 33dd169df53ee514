import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';
import { runProcess } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';
import { requireTool } from './require.js';

/**
 * The hooks of .pre-commit-hooks.yaml, installed and run by the real pre-commit (Debian's 3.0.4 in CI). The hook
 * repository is this tree as npm packs it (dist/ built already), with .pre-commit-hooks.yaml and package-lock.json,
 * its dependencies bundled and no devDependencies or `prepare` build: pre-commit's `npm install`, `npm pack` and
 * `npm install -g` of it then run offline from npm's cache in ~30 s, where a snapshot of the whole clone cost two full
 * installs with every devDependency (200–330 s). That a clone installs and builds is what CI's `npm ci` checks.
 */
requireTool('pre-commit', 'apt-get install -y pre-commit');

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

/** The package as npm packs it, plus the hook definitions, as a fresh repository that installs offline. */
function hookRepo(): string {
  const work = tempDir('shipshape-hook-pack-');
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = path.join(work, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  execFileSync('tar', ['xzf', tarball, '-C', work]);
  const repo = path.join(work, 'package');
  copyFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), path.join(repo, '.pre-commit-hooks.yaml'));
  copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(repo, 'package-lock.json'));
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
    bundleDependencies?: string[];
  };
  delete pkg.scripts?.prepare;
  delete pkg.devDependencies;
  pkg.bundleDependencies = Object.keys(pkg.dependencies);
  writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  execFileSync('git', [...GIT, 'init', '-q'], { cwd: repo });
  execFileSync('git', [...GIT, 'add', '-A'], { cwd: repo });
  execFileSync('git', [...GIT, 'commit', '-q', '-m', 'snapshot'], { cwd: repo });
  return repo;
}

/** A project that uses both hooks from the hook repository at its commit, as a user's .pre-commit-config.yaml does. */
function projectRepo(hooks: string): string {
  const dir = tempDir('shipshape-hook-project-');
  const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: hooks, encoding: 'utf8' }).trim();
  writeFileSync(
    path.join(dir, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: shipshape\n      - id: shipshape-all\n`,
  );
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
  it('fail on a bad manifest with the finding printed, and pass on a good one', { timeout: 900_000 }, async () => {
    const repo = hookRepo();
    const project = projectRepo(repo);
    const env = {
      ...process.env,
      PRE_COMMIT_HOME: tempDir('shipshape-pre-commit-home-'),
      // Every package comes from npm's cache (filled by `npm ci`) or the bundle: no registry.
      npm_config_offline: 'true',
      NO_COLOR: '1',
      PRE_COMMIT_COLOR: 'never',
    };

    // Both hooks on the bad file: the environment (npm install + npm pack + npm install -g) is installed once, and
    // kept in PRE_COMMIT_HOME for the second run.
    const bad = await runProcess('pre-commit', ['run', '--files', 'bad.yaml', 'good.yaml'], {
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
    const good = await runProcess('pre-commit', ['run', 'shipshape', '--files', 'good.yaml'], {
      cwd: project,
      env,
      timeoutMs: 600_000,
    });
    const goodOut = good.stdout + good.stderr;
    expect(goodOut, goodOut).toMatch(/^shipshape\.+Passed$/m);
    expect(good.code).toBe(0);
    console.log(`pre-commit run: bad ${Math.round(bad.ms / 1000)}s, good ${Math.round(good.ms / 1000)}s`);
  });
});
