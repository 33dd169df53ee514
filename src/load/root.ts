import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root: the nearest directory upward from `start` that holds `.git` (a directory, or the file of a
 * worktree or submodule), found without running git; else `fallback` (the config file's directory, or the working
 * directory). ArgoCD and Flux paths are relative to it, and nothing outside it is read.
 */
export function findRepositoryRoot(start: string, fallback: string = start): string {
  // A config outside the working directory's tree (a CI runner's scratch file) is no repository root.
  const rel = path.relative(path.resolve(fallback), path.resolve(start));
  if (rel.startsWith('..') || path.isAbsolute(rel)) fallback = start;
  let dir = path.resolve(start);
  for (;;) {
    try {
      statSync(path.join(dir, '.git'));
      return dir;
    } catch {
      // not here
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(fallback);
    dir = up;
  }
}
