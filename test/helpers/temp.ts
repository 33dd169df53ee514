import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The one way tests make temporary directories: each is removed after its test file (test/helpers/setup.ts registers
 * removeTempDirs() in afterAll for every file), so a run leaves nothing in the system temp directory.
 */
const made: string[] = [];

export function tempDir(prefix = 'shipshape-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temporary directory holding `files` (file name → text). */
export function tempProject(files: Record<string, string>, prefix?: string): string {
  const dir = tempDir(prefix);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A directory holding a `kubectl` that only records that it ran (in `<bin>/kubectl.calls`) and fails, to put first on
 * PATH: rendering paths that must never run kustomize are tested without the real one.
 */
export function recordingKubectl(): { bin: string; calls: string } {
  const bin = tempDir('shipshape-fake-kubectl-');
  const calls = path.join(bin, 'kubectl.calls');
  writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\necho "$@" >> '${calls}'\nexit 1\n`, { mode: 0o755 });
  return { bin, calls };
}
