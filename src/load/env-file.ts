import { isContained } from './root.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { envFileEntries } from '../model/swarm-service.js';
import type { EnvFileRef, Locator, Path, Range, Resource } from '../model/types.js';
import { hasInterpolation } from '../model/compose-values.js';
import { displayPath } from './discover.js';
import { isObject } from '../model/json.js';

/** Env files are small; anything bigger is not one (and is not read into memory). */
const MAX_ENV_FILE_BYTES = 1 << 20;

export interface EnvFileEntry {
  key: string;
  /** Undefined for a bare `KEY` line (the value comes from the shell that runs docker stack deploy). */
  value: string | undefined;
  line: number;
  /** 1-based column of the key; `endColumn` is exclusive. */
  column: number;
  endColumn: number;
}

/**
 * docker/cli `opts.ParseEnvFile`, which `docker stack deploy` uses: leading whitespace trimmed, `#` lines and blank
 * lines skipped, `KEY=VALUE` split at the first `=`, the value taken literally (no quote removal, no interpolation).
 */
export function parseEnvFile(text: string): EnvFileEntry[] {
  const out: EnvFileEntry[] = [];
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  lines.forEach((rawLine, i) => {
    const raw = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) return;
    const indent = raw.length - line.length;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line : line.slice(0, eq);
    if (key === '' || /\s/.test(key)) return; // docker/cli refuses the file; nothing to attribute to a variable
    out.push({
      key,
      value: eq === -1 ? undefined : line.slice(eq + 1),
      line: i + 1,
      column: indent + 1,
      endColumn: raw.length + 1,
    });
  });
  return out;
}

/** Paths inside an env file: `[KEY]` (its last definition, which wins) or `[index]` (the index-th entry). */
export class EnvFileLocator implements Locator {
  constructor(private readonly entries: readonly EnvFileEntry[]) {}

  locate(p: Path): { range: Range; exact: boolean } {
    const seg = p[0];
    let entry: EnvFileEntry | undefined;
    if (typeof seg === 'number') entry = this.entries[seg];
    else if (typeof seg === 'string') entry = this.entries.findLast((e) => e.key === seg);
    if (!entry) return { range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, exact: p.length === 0 };
    return {
      range: { startLine: entry.line, startColumn: entry.column, endLine: entry.line, endColumn: entry.endColumn },
      exact: p.length === 1,
    };
  }
}

/** The nearest directory upward holding `.git`, else undefined. */
async function gitRoot(dir: string, cache: Map<string, string | undefined>): Promise<string | undefined> {
  const seen: string[] = [];
  let d = dir;
  let found: string | undefined;
  for (;;) {
    if (cache.has(d)) {
      found = cache.get(d);
      break;
    }
    seen.push(d);
    try {
      await fs.stat(path.join(d, '.git'));
      found = d;
      break;
    } catch {
      /* not here */
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const s of seen) cache.set(s, found);
  return found;
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Reads the env files that stack services name, relative to the stack file, and links them to their stack
 * (`Resource.envFiles`). Only files inside the repository of the stack (its Git work tree, else the working
 * directory, else the stack's own directory) are read, through symlinks too: a stack file must not make
 * shipshape read /etc or a CI runner's home. Returns one EnvFile resource per file read.
 */
export async function attachEnvFiles(
  resources: readonly Resource[],
  cwd: string,
  repositoryRoot?: string,
): Promise<{ resources: Resource[]; warnings: string[] }> {
  const created = new Map<string, Resource | EnvFileRef['problem']>();
  const out: Resource[] = [];
  const warnings: string[] = [];
  const gitCache = new Map<string, string | undefined>();
  for (const stack of resources) {
    if (stack.platform !== 'swarm' || stack.kind !== 'Stack' || !stack.envFiles || !isObject(stack.value.services))
      continue;
    const refs = stack.envFiles as Map<string, EnvFileRef>;
    const stackDir = stack.file.absPath ? path.dirname(stack.file.absPath) : cwd;
    const root = repositoryRoot ?? (await gitRoot(stackDir, gitCache)) ?? (inside(cwd, stackDir) ? cwd : stackDir);
    await findSecretFiles(stack, stackDir, root);
    for (const service of Object.values(stack.value.services)) {
      if (!isObject(service)) continue;
      for (const { file } of envFileEntries(service)) {
        if (refs.has(file)) continue;
        if (hasInterpolation(file)) {
          refs.set(file, {
            problem: { kind: 'interpolated', message: `env_file ${file} depends on a variable and was not read` },
          });
          continue;
        }
        const abs = path.resolve(stackDir, file);
        const known = created.get(abs);
        if (known !== undefined) {
          refs.set(file, 'key' in known ? { resource: known } : { problem: known });
          continue;
        }
        const result = await readEnvFile(abs, root, cwd, file);
        if ('key' in result) out.push(result);
        else if (result.kind !== 'missing') warnings.push(`${displayPath(abs, cwd)}: ${result.message}`);
        created.set(abs, result);
        refs.set(file, 'key' in result ? { resource: result } : { problem: result });
      }
    }
  }
  return { resources: out, warnings };
}

/** Whether each `secrets.*.file` of a stack exists inside its repository (secret-file-in-repo reports only those that do). */
async function findSecretFiles(stack: Resource, stackDir: string, root: string): Promise<void> {
  const found = stack.secretFiles as Map<string, 'present' | 'missing'> | undefined;
  const secrets = stack.value.secrets;
  if (!found || !isObject(secrets)) return;
  for (const def of Object.values(secrets)) {
    if (!isObject(def) || typeof def.file !== 'string' || found.has(def.file) || hasInterpolation(def.file)) continue;
    const abs = path.resolve(stackDir, def.file.trim());
    let present: boolean;
    try {
      present = inside(root, abs) && (await fs.stat(abs)).isFile();
    } catch {
      present = false;
    }
    found.set(def.file, present ? 'present' : 'missing');
  }
}

async function readEnvFile(
  abs: string,
  root: string,
  cwd: string,
  written: string,
): Promise<Resource | NonNullable<EnvFileRef['problem']>> {
  let real: string;
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
    real = await fs.realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!inside(root, abs))
        return { kind: 'outside', message: `env_file ${written} is outside the repository (${root}), not read` };
      return {
        kind: 'missing',
        message: `env_file ${written} does not exist (${displayPath(abs, cwd)}): docker stack deploy fails with "no such file or directory"`,
      };
    }
    return { kind: 'unreadable', message: `env_file ${written} cannot be read: ${(err as Error).message}` };
  }
  if (!isContained(realRoot, real))
    return { kind: 'outside', message: `env_file ${written} is outside the repository (${root}), not read` };
  let text: string;
  try {
    const st = await fs.stat(real);
    if (!st.isFile()) return { kind: 'unreadable', message: `env_file ${written} is not a regular file, not read` };
    if (st.size > MAX_ENV_FILE_BYTES)
      return { kind: 'unreadable', message: `env_file ${written} is larger than 1 MiB, not read` };
    text = await fs.readFile(real, 'utf8');
  } catch (err) {
    return { kind: 'unreadable', message: `env_file ${written} cannot be read: ${(err as Error).message}` };
  }
  const entries = parseEnvFile(text);
  const value: Record<string, string | null> = {};
  for (const e of entries) value[e.key] = e.value ?? null;
  const shown = displayPath(abs, cwd);
  return {
    key: `${shown}#env`,
    file: { path: shown, absPath: abs },
    docIndex: 0,
    platform: 'swarm',
    apiVersion: undefined,
    kind: 'EnvFile',
    name: shown,
    namespace: undefined,
    value,
    labels: {},
    annotations: {},
    locator: new EnvFileLocator(entries),
  };
}
