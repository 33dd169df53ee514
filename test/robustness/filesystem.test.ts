import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/load/read.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import {
  expectHealthyChecked,
  expectNoInternalError,
  HEALTHY,
  HEALTHY_NAME,
  lintIn,
  tempDir,
  writeTree,
} from './helpers.js';

const isRoot = process.getuid?.() === 0;
/** As root, permissions stop nothing: the CLI runs as `nobody` there, so that "unreadable" is real. */
const asUnprivileged = isRoot ? { uid: 65534, gid: 65534 } : {};
/** Whether `nobody` can run the built CLI at all (a checkout below a private home directory would stop it). */
const unprivilegedCanRun =
  !isRoot ||
  spawnSync(
    process.execPath,
    ['-e', `require('fs').accessSync(${JSON.stringify(CLI)}, require('fs').constants.R_OK)`],
    asUnprivileged,
  ).status === 0;

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
}

/** The lines of the text report that are warnings. */
const warnings = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('warning: '));

describe('file-system trouble: a one-line message, never a hang or a stack trace, the other files still checked', () => {
  it('a directory symlink loop is walked once, with a message', async () => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY, 'apps/web.yaml': HEALTHY.replace(/healthy/g, 'web') });
    symlinkSync('..', path.join(dir, 'apps/loop'));
    const result = await lintIn(dir, ['.']);
    expect(result.warnings).toEqual(['apps/loop: symlink loop (it leads back to .), not walked again']);
    expect(result.input.files.map((f) => f.file.path)).toEqual(['apps/web.yaml', HEALTHY_NAME]);
    expectHealthyChecked(result.findings);
  });

  it('a symlink to itself, and a dangling symlink (walked, and named)', async () => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY });
    symlinkSync('self.yaml', path.join(dir, 'self.yaml'));
    symlinkSync('nowhere.yaml', path.join(dir, 'gone.yaml'));
    const walked = await lintIn(dir, ['.']);
    expect(walked.warnings).toEqual(['gone.yaml: dangling symlink, skipped', 'self.yaml: symlink loop, skipped']);
    expectHealthyChecked(walked.findings);
    const named = await lintIn(dir, ['gone.yaml', 'self.yaml', HEALTHY_NAME]);
    expect(named.input.missing).toEqual([]);
    expect(named.warnings).toEqual(['gone.yaml: dangling symlink, skipped', 'self.yaml: symlink loop, skipped']);
    expectHealthyChecked(named.findings);
  });

  it.skipIf(!unprivilegedCanRun)(
    'an unreadable file and an unreadable directory (as root: the CLI runs as nobody)',
    async () => {
      const dir = writeTree(tempDir(), {
        [HEALTHY_NAME]: HEALTHY,
        'secret.yaml': HEALTHY,
        'locked/inner.yaml': HEALTHY,
      });
      chmodSync(path.join(dir, 'secret.yaml'), 0o000);
      chmodSync(path.join(dir, 'locked'), 0o000);
      const r = await runCli(['.', '--no-color'], { cwd: dir, ...asUnprivileged });
      expect(r.stderr).toBe('');
      expect(warnings(r.stdout)).toEqual([
        'warning: locked: permission denied, skipped',
        'warning: secret.yaml: permission denied, skipped',
      ]);
      expect(r.stdout).toContain(`${HEALTHY_NAME}\n  5:3`);
      expect(r.code).toBe(0);
    },
  );

  it.skipIf(!existsSync('/proc/self/mem'))(
    'a link to /proc/self/mem found by walking is not followed (outside the repository)',
    async () => {
      const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY });
      symlinkSync('/proc/self/mem', path.join(dir, 'mem.yaml'));
      const result = await lintIn(dir, ['.']);
      expect(result.warnings).toEqual(['mem.yaml: a symlink to outside the repository, not followed']);
      expectHealthyChecked(result.findings);
    },
  );

  it('a path that does not exist: the others are reported, then one line and exit 2', async () => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY });
    const r = await runCli(['nope.yaml', HEALTHY_NAME, 'missing-dir/'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('shipshape: no such file or directory: missing-dir/, nope.yaml\n');
    expect(r.stdout).toContain(`${HEALTHY_NAME}\n  5:3`);
  });

  it('a FIFO, named or found by walking, is never opened (no hang)', async () => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY });
    mkfifo(path.join(dir, 'pipe.yaml'));
    mkfifo(path.join(dir, 'no-extension'));
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('../pipe.yaml', path.join(dir, 'sub/link.yaml'));
    const walked = await runCli(['.'], { cwd: dir, timeoutMs: 60_000 });
    expect(walked.killed).toBe(false);
    expect(warnings(walked.stdout)).toEqual([
      'warning: pipe.yaml: not a regular file (a FIFO, socket or device), never opened, skipped',
      'warning: sub/link.yaml: not a regular file (a FIFO, socket or device), never opened, skipped',
    ]);
    expect(walked.stdout).toContain(`${HEALTHY_NAME}\n  5:3`);
    const named = await runCli(['pipe.yaml', HEALTHY_NAME], { cwd: dir, timeoutMs: 60_000 });
    expect(named.killed).toBe(false);
    expect(warnings(named.stdout)).toEqual([
      'warning: pipe.yaml: not a regular file (a FIFO, socket or device), never opened, skipped',
    ]);
    expect(named.stdout).toContain(`${HEALTHY_NAME}\n  5:3`);
  });

  it('devices: /dev/zero named, and a link to it found by walking', async () => {
    const dir = writeTree(tempDir(), { [HEALTHY_NAME]: HEALTHY });
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    const result = await lintIn(dir, ['.', '/dev/zero']);
    expect(result.warnings).toEqual([
      '/dev/zero: not a regular file (a FIFO, socket or device), never opened, skipped',
      'zero.yaml: a symlink to outside the repository, not followed',
    ]);
    expectHealthyChecked(result.findings);
    expectNoInternalError(result.findings);
  });

  it('the reader itself refuses a FIFO without blocking (a file replaced by a FIFO after discovery)', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'swapped.yaml');
    mkfifo(fifo);
    const t0 = performance.now();
    const r = await readRegularFile(fifo);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(r).toEqual({ ok: false, code: 'NOTREG', reason: 'not a regular file (a FIFO, socket or device), skipped' });
  });

  it('no stack trace when the reader of the output goes away (shipshape … | head)', async () => {
    const dir = tempDir();
    // Enough output to fill a pipe several times over.
    const many = Array.from({ length: 400 }, (_, i) => HEALTHY.replace(/healthy/g, `app-${i}`)).join('---\n');
    writeTree(dir, { 'many.yaml': many });
    const out = execFileSync(
      'bash',
      [
        '-c',
        `node ${JSON.stringify(path.resolve(import.meta.dirname, '../../dist/cli.js'))} . --format json --fail-on warning 2>err.txt | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"; cat err.txt`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    const [code, ...err] = out.split('\n');
    expect(code).toBe('1');
    expect(err.join('\n').trim()).toBe('');
  });
});
