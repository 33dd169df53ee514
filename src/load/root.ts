import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository a run checks, the one frame for containment: nothing outside it is read (walked symlinks, env_file,
 * kustomize inputs). The Git top level (the nearest directory upward holding `.git`, a directory or a file, found
 * without running git) above the paths checked; else the config file's directory; else the common ancestor of the
 * paths given (the working directory when there are none).
 */
export function findRepositoryRoot(opts: { cwd: string; paths?: readonly string[]; configFile?: string }): string {
  const given = (opts.paths ?? []).filter((p) => p !== '-').map((p) => path.resolve(opts.cwd, p));
  const start = given.length ? commonAncestor(given.map(directoryOf)) : path.resolve(opts.cwd);
  for (let d = start; ; d = path.dirname(d)) {
    if (exists(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) break;
  }
  // The config's directory, when what is checked lies inside it (a CI runner's scratch config is no repository).
  if (opts.configFile) {
    const dir = path.dirname(path.resolve(opts.cwd, opts.configFile));
    const rel = path.relative(dir, start);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return dir;
  }
  return start;
}

/** Whether `p` (a real path) lies inside `root` (a real path), and is not in a pseudo-filesystem (/proc, /sys, /dev). */
export function isContained(root: string, p: string): boolean {
  if (/^\/(?:proc|sys|dev)(?:\/|$)/.test(p)) return false;
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The real path of the root (symlinks resolved), for comparing with real paths; the root itself when it cannot be resolved. */
export function realRoot(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return root;
  }
}

function directoryOf(p: string): string {
  try {
    return statSync(p).isDirectory() ? p : path.dirname(p);
  } catch {
    return path.dirname(p);
  }
}

function commonAncestor(dirs: readonly string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== d && !d.startsWith(common.endsWith(path.sep) ? common : common + path.sep))
      common = path.dirname(common);
  }
  return common;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
