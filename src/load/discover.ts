import { promises as fs } from 'node:fs';
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

/** Walk the given paths for manifest files, sorted, each real file once, symlink loops cut. */
export async function discover(paths: string[], cwd: string, ignore: string[] = []): Promise<Discovery> {
  const isIgnored = ignore.length ? picomatch(ignore, { dot: true }) : () => false;
  const files: DiscoveredFile[] = [];
  const warnings: string[] = [];
  const missing: string[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();

  const addFile = (abs: string, real: string, explicit: boolean): void => {
    if (seenFiles.has(real)) return;
    const shown = displayPath(abs, cwd);
    if (!explicit && isIgnored(shown)) return;
    seenFiles.add(real);
    files.push({ absPath: abs, path: shown, explicit });
  };

  const walk = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (err) {
      warnings.push(`${displayPath(dir, cwd)}: ${reason(err)}`);
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or a directory reached twice
    seenDirs.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      warnings.push(`${displayPath(dir, cwd)}: ${reason(err)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || isIgnored(displayPath(abs, cwd) + '/')) continue;
        await walk(abs);
      } else if (entry.isFile()) {
        if (EXTENSIONS.test(entry.name)) addFile(abs, abs, false);
      } else if (entry.isSymbolicLink()) {
        let st;
        try {
          st = await fs.stat(abs);
        } catch {
          if (EXTENSIONS.test(entry.name)) warnings.push(`${displayPath(abs, cwd)}: dangling symlink, skipped`);
          continue;
        }
        if (st.isDirectory()) {
          if (!SKIP_DIRS.has(entry.name)) await walk(abs);
        } else if (st.isFile() && EXTENSIONS.test(entry.name)) {
          addFile(abs, await fs.realpath(abs), false);
        }
      }
      // FIFOs, sockets and devices found by walking are never opened.
    }
  };

  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = await fs.stat(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) await walk(abs);
    else if (st.isFile()) addFile(abs, await fs.realpath(abs), true);
    else warnings.push(`${p}: not a regular file, skipped`);
  }
  return { files, warnings, missing };
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied, skipped';
  if (code === 'ELOOP') return 'symlink loop, skipped';
  if (code === 'ENOENT') return 'does not exist, skipped';
  return `${(err as Error).message}, skipped`;
}
