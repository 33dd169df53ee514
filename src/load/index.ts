import { append } from '../model/append.js';
import { LineCounter } from 'yaml';
import { discover, displayPath } from './discover.js';
import { attachEnvFiles } from './env-file.js';
import { findRepositoryRoot } from './root.js';
import type { SuppressionComment } from './directives.js';
import { parseFile, type LoadProblem, type ParsedFile } from './parse.js';
import { decodeManifest, readRegularFile } from './read.js';
import type { Resource } from '../model/types.js';

export type { LoadProblem, ParsedFile } from './parse.js';
export type { SuppressionComment } from './directives.js';

export interface LoadOptions {
  paths: string[];
  cwd: string;
  ignore?: string[];
  /** What was read from stdin when a path is `-`: text, or bytes to decode like a file's. */
  stdin?: string | Uint8Array;
  /** Render Kustomize directories and Helm charts, and check the output instead of their files. */
  render?: boolean;
  /** The repository root (load/root.ts): nothing outside it is read. Found from the paths when absent. */
  root?: string;
}

export interface LoadResult {
  files: ParsedFile[];
  resources: Resource[];
  problems: LoadProblem[];
  /** `# shipshape-ignore` comments of every file read. */
  suppressions: SuppressionComment[];
  warnings: string[];
  missing: string[];
}

/** Read and parse every input once. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const paths = opts.paths.filter((p) => p !== '-');
  const root = opts.root ?? findRepositoryRoot({ cwd: opts.cwd, paths });
  const { files: found, warnings, missing } = await discover(paths, opts.cwd, opts.ignore, root);
  const files: ParsedFile[] = [];
  const rendered = opts.render ? await (await import('./render.js')).renderInputs(found, opts.cwd, root) : undefined;
  if (opts.paths.includes('-') && opts.stdin !== undefined) {
    const source = { path: '<stdin>', absPath: '' };
    if (typeof opts.stdin === 'string') files.push(parseFile(source, opts.stdin));
    else {
      const decoded = decodeManifest(Buffer.from(opts.stdin.buffer, opts.stdin.byteOffset, opts.stdin.byteLength));
      files.push(decoded.ok ? parseFile(source, decoded.text) : undecodable(source, decoded));
    }
  }
  const toRead = rendered ? found.filter((f) => !rendered.consumed.has(f.absPath)) : found;
  for (const f of toRead) {
    const read = readRegularFile(f.absPath);
    if (!read.ok) {
      warnings.push(`${f.path}: ${read.reason}`);
      continue;
    }
    const source = { path: f.path, absPath: f.absPath };
    const decoded = decodeManifest(read.bytes);
    const parsed = decoded.ok ? parseFile(source, decoded.text) : undecodable(source, decoded);
    // JSON files met by walking a directory (package.json, tsconfig.json…) are not manifests unless they hold one,
    // or look like one that does not parse.
    if (!f.explicit && /\.json$/i.test(f.path) && parsed.resources.length === 0 && !(parsed.problems.length && parsed.text.includes('"apiVersion"') && parsed.text.includes('"kind"'))) continue;
    files.push(parsed);
  }
  if (rendered) {
    append(files, rendered.files);
    append(warnings, rendered.warnings);
  }
  const resources = [...files.flatMap((f) => f.resources), ...(rendered?.resources ?? [])];
  // Env files named by stack services are read once each and checked as resources of their own.
  const envFiles = await attachEnvFiles(resources, opts.cwd, root);
  append(warnings, envFiles.warnings);
  return {
    files,
    resources: [...resources, ...envFiles.resources],
    problems: [...files.flatMap((f) => f.problems), ...(rendered?.problems ?? [])],
    suppressions: files.flatMap((f) => f.suppressions),
    warnings,
    missing,
  };
}

/** A file whose bytes are not YAML text (binary, Latin-1…): one invalid-yaml finding at the first offending byte. */
function undecodable(file: ParsedFile['file'], d: { message: string; line: number; column: number }): ParsedFile {
  const range = { startLine: d.line, startColumn: d.column, endLine: d.line, endColumn: d.column + 1 };
  return { file, text: '', lines: new LineCounter(), docs: [], resources: [], problems: [{ ruleId: 'invalid-yaml', file: file.path, range, message: d.message }], irrelevant: false, suppressions: [] };
}

export { displayPath };
