import { findRepositoryRoot, isContained, realRoot } from './root.js';
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

const EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface DiscoveredFile {
  absPath: string;
  /** Relative to the working directory, forward slashes. */
  path: string;
  /** Named on the command line (rather than found by walking a directory). */
  explicit: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** One line each: paths that could not be read or walked. Never fatal on their own. */
  warnings: string[];
  /** Paths named on the command line that do not exist. */
  missing: string[];
}

export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  // Relative to the working directory (SARIF URIs are relative to the repository root); absolute only across drives.
  const shown = rel === '' ? path.basename(abs) : path.isAbsolute(rel) ? abs : rel;
  return shown.split(path.sep).join('/');
}

/**
 * Walk the given paths for manifest files, sorted, each real file once, symlink loops cut. Synchronous calls: one
 * directory after another, the promise API only adds a trip through the thread pool per call (bench/README.md).
 */
export async function discover(
  paths: string[],
  cwd: string,
  ignore: string[] = [],
  root: string = findRepositoryRoot({ cwd, paths }),
  ignoreBase: string = cwd,
): Promise<Discovery> {
  const repo = realRoot(root);
  const isIgnored = ignore.length ? picomatch(ignore, { dot: true }) : () => false;
  const files: DiscoveredFile[] = [];
  const warnings: string[] = [];
  const missing: string[] = [];
  const seenFiles = new Map<string, DiscoveredFile>();
  const seenDirs = new Set<string>();

  const addFile = (abs: string, real: string, explicit: boolean): void => {
    const seen = seenFiles.get(real);
    if (seen) {
      if (explicit) seen.explicit = true;
      // A file met through a symlink and at its own path is reported once, at its own path (the one Git tracks).
      if (abs === real && seen.absPath !== real) {
        seen.absPath = abs;
        seen.path = displayPath(abs, cwd);
      }
      return;
    }
    const shown = displayPath(abs, cwd);
    if (!explicit && isIgnored(displayPath(abs, ignoreBase))) return;
    const file = { absPath: abs, path: shown, explicit };
    seenFiles.set(real, file);
    files.push(file);
  };

  const walk = (dir: string, ancestors: readonly string[] = []): void => {
    let real: string;
    try {
      real = realpathSync.native(dir);
    } catch (err) {
      warnings.push(`${displayPath(dir, cwd)}: ${reason(err)}`);
      return;
    }
    if (ancestors.includes(real)) {
      warnings.push(
        `${displayPath(dir, cwd)}: symlink loop (it leads back to ${path.relative(cwd, real).split(path.sep).join('/') || '.'}), not walked again`,
      );
      return;
    }
    if (seenDirs.has(real)) return; // a directory reached twice (two links to it, or overlapping paths)
    seenDirs.add(real);
    const inside = [...ancestors, real];
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      warnings.push(`${displayPath(dir, cwd)}: ${reason(err)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || isIgnored(displayPath(abs, ignoreBase) + '/')) continue;
        walk(abs, inside);
      } else if (entry.isFile()) {
        if (EXTENSIONS.test(entry.name)) addFile(abs, abs, false);
      } else if (entry.isSymbolicLink()) {
        let st;
        let real: string;
        try {
          st = statSync(abs);
          real = realpathSync.native(abs);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') warnings.push(`${displayPath(abs, cwd)}: symlink loop, skipped`);
          else if (EXTENSIONS.test(entry.name))
            warnings.push(`${displayPath(abs, cwd)}: ${code === 'ENOENT' ? 'dangling symlink, skipped' : reason(err)}`);
          continue;
        }
        // A link met while walking is followed only inside the repository: a link to /etc, a home directory or
        // /proc/self/environ is refused, whatever its name.
        if (!isContained(repo, real)) {
          if (st.isDirectory() || EXTENSIONS.test(entry.name))
            warnings.push(`${displayPath(abs, cwd)}: a symlink to outside the repository, not followed`);
          continue;
        }
        if (st.isDirectory()) {
          if (!SKIP_DIRS.has(entry.name)) walk(abs, inside);
        } else if (EXTENSIONS.test(entry.name)) {
          if (st.isFile()) addFile(abs, real, false);
          else
            warnings.push(
              `${displayPath(abs, cwd)}: not a regular file (a FIFO, socket or device), never opened, skipped`,
            );
        }
      } else if (EXTENSIONS.test(entry.name)) {
        // FIFOs, sockets and devices are never opened: reading a FIFO blocks until something writes to it.
        warnings.push(`${displayPath(abs, cwd)}: not a regular file (a FIFO, socket or device), never opened, skipped`);
      }
    }
  };

  // In a fixed order, whatever the order of the arguments: a file reached twice is always shown under the same path.
  const sorted = [...paths].sort(
    (a, b) => compare(displayPath(path.resolve(cwd, a), cwd), displayPath(path.resolve(cwd, b), cwd)) || compare(a, b),
  );
  for (const p of sorted) {
    const abs = path.resolve(cwd, p);
    let st;
    let real: string;
    try {
      st = statSync(abs);
      real = realpathSync.native(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Nothing at all there is a usage mistake; a link that leads nowhere, or a path that cannot be read, is not.
      const link = isSymlink(abs);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && !link) missing.push(p);
      else warnings.push(`${p}: ${code === 'ENOENT' ? 'dangling symlink, skipped' : reason(err)}`);
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else if (st.isFile()) addFile(abs, real, true);
    else warnings.push(`${p}: not a regular file (a FIFO, socket or device), never opened, skipped`);
  }
  return { files, warnings, missing };
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied, skipped';
  if (code === 'ELOOP') return 'symlink loop, skipped';
  if (code === 'ENOENT') return 'does not exist, skipped';
  return `${(err as Error).message}, skipped`;
}
