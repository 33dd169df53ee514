import { promises as fs } from 'node:fs';
import { discover, displayPath } from './discover.js';
import { parseFile, type LoadProblem, type ParsedFile } from './parse.js';
import type { Resource } from '../model/types.js';

export type { LoadProblem, ParsedFile } from './parse.js';

export interface LoadOptions {
  paths: string[];
  cwd: string;
  ignore?: string[];
  /** Text read from stdin when a path is `-`. */
  stdin?: string;
}

export interface LoadResult {
  files: ParsedFile[];
  resources: Resource[];
  problems: LoadProblem[];
  warnings: string[];
  missing: string[];
}

/** Read and parse every input once. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const paths = opts.paths.filter((p) => p !== '-');
  const { files: found, warnings, missing } = await discover(paths, opts.cwd, opts.ignore);
  const files: ParsedFile[] = [];
  if (opts.paths.includes('-') && opts.stdin !== undefined) {
    files.push(parseFile({ path: '<stdin>', absPath: '' }, opts.stdin));
  }
  for (const f of found) {
    let text: string;
    try {
      text = await fs.readFile(f.absPath, 'utf8');
    } catch (err) {
      warnings.push(`${f.path}: ${(err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message}, skipped`);
      continue;
    }
    const parsed = parseFile({ path: f.path, absPath: f.absPath }, text);
    // JSON files met by walking a directory (package.json, tsconfig.json…) are not manifests unless they hold one.
    if (!f.explicit && /\.json$/i.test(f.path) && parsed.resources.length === 0) continue;
    files.push(parsed);
  }
  return {
    files,
    resources: files.flatMap((f) => f.resources),
    problems: files.flatMap((f) => f.problems),
    warnings,
    missing,
  };
}

export { displayPath };
