import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * CLI tests run the built binary: make sure dist/ exists (CI builds first; a bare `npm test` builds here).
 * The run gets a temporary directory of its own (TMPDIR, inherited by the test workers and every process they start),
 * removed at the end: what a test or a tool it runs forgets to remove is counted, and never left behind.
 */
export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '../..');
  if (!existsSync(path.join(root, 'dist/cli.js')))
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const runTmp = mkdtempSync(path.join(tmpdir(), 'shipshape-test-run-'));
  chmodSync(runTmp, 0o755); // tests that run the CLI as `nobody` make world-readable directories inside
  const before = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  return () => {
    const left = readdirSync(runTmp);
    if (left.length)
      console.log(`test temp: ${left.length} entries left behind by tests, removed: ${left.slice(0, 5).join(', ')}…`);
    rmSync(runTmp, { recursive: true, force: true });
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  };
}
