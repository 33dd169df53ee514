import { realpathSync } from 'node:fs';
import { append } from '../model/append.js';
import { LineCounter } from 'yaml';
import { discover, displayPath } from './discover.js';
import { attachEnvFiles } from './env-file.js';
import { parseFile, type ParsedFile } from './parse.js';
import { decodeManifest, readRegularFile } from './read.js';
import { inNamespace, mergePatches } from '../model/kustomize-merge.js';
import type { LoadProblem, Resource, SuppressionComment, Unit } from '../model/types.js';
import { findRepositoryRoot, isContained, realRoot } from './root.js';
import { discoverUnits, isInside } from './units.js';

export type { ParsedFile } from './parse.js';
export type { LoadProblem, SuppressionComment } from '../model/types.js';

export interface LoadOptions {
  paths: string[];
  cwd: string;
  ignore?: string[];
  /** `ignore` globs are relative to it (the config file's directory; default: cwd). */
  ignoreBase?: string;
  /** What was read from stdin when a path is `-`: text, or bytes to decode like a file's. */
  stdin?: string | Uint8Array;
  /**
   * Build the units that kustomize or helm builds, and check the output instead of their files: `auto` does when the
   * tool is on PATH (and says so), `true` always (a missing tool is a note), `false` never.
   */
  render?: boolean | 'auto';
  /** The repository root (load/root.ts): nothing outside it is read. Found from the paths when absent. */
  root?: string;
  /** `units:` globs of the config, relative to `unitsBase` (the config's directory). */
  units?: readonly string[];
  unitsBase?: string;
}

/** A deployment unit and the objects checked in it (rendered, or its files with their patches applied). */
export interface LoadedUnit {
  unit: Unit;
  resources: Resource[];
  /** Files of objects that are patch fragments in this unit (a patch whose object is not in it). */
  patchFiles: ReadonlySet<string>;
  /** True when the objects are the output of kustomize or helm. */
  rendered: boolean;
}

export interface LoadResult {
  files: ParsedFile[];
  resources: Resource[];
  problems: LoadProblem[];
  /** `# shipshape-ignore` comments of every file read. */
  suppressions: SuppressionComment[];
  warnings: string[];
  missing: string[];
  units: LoadedUnit[];
  /** How many builds ran, and with which tools, when rendering was on. */
  render?: { builds: number; tools: string[] };
}

/** Read and parse every input once, find the deployment units, and build those that need it. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const paths = opts.paths.filter((p) => p !== '-');
  const root = opts.root ?? findRepositoryRoot({ cwd: opts.cwd, paths });
  const {
    files: found,
    warnings,
    missing,
  } = await discover(paths, opts.cwd, opts.ignore, root, opts.ignoreBase ?? opts.cwd);
  const files: ParsedFile[] = [];
  if (opts.paths.includes('-') && opts.stdin !== undefined) {
    const source = { path: '<stdin>', absPath: '' };
    if (typeof opts.stdin === 'string') files.push(parseFile(source, opts.stdin));
    else {
      const decoded = decodeManifest(Buffer.from(opts.stdin.buffer, opts.stdin.byteOffset, opts.stdin.byteLength));
      files.push(decoded.ok ? parseFile(source, decoded.text) : undecodable(source, decoded));
    }
  }
  for (const f of found) {
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
    if (
      !f.explicit &&
      /\.json$/i.test(f.path) &&
      parsed.resources.length === 0 &&
      !(parsed.problems.length && parsed.text.includes('"apiVersion"') && parsed.text.includes('"kind"'))
    )
      continue;
    files.push(parsed);
  }

  // Files a kustomization names outside the given paths (a base of the overlay given): read, within the repository.
  const extra: ParsedFile[] = [];
  const readExtra = (abs: string): ParsedFile | undefined => {
    if (!isInside(abs, root) || !isContained(realRoot(root), realOf(abs))) return undefined;
    const read = readRegularFile(abs);
    if (!read.ok) return undefined;
    const decoded = decodeManifest(read.bytes);
    if (!decoded.ok) return undefined;
    const parsed = parseFile({ path: displayPath(abs, opts.cwd), absPath: abs }, decoded.text);
    extra.push(parsed);
    return parsed;
  };
  const units = discoverUnits({
    files,
    cwd: opts.cwd,
    root,
    read: readExtra,
    ...(opts.units?.length ? { globs: opts.units, base: opts.unitsBase ?? root } : {}),
  });
  append(files, extra);
  const byPath = new Map<string, ParsedFile>();
  for (const f of files) byPath.set(f.file.absPath, f);

  let problems = files.flatMap((f) => f.problems);
  const wantRender =
    opts.render === true || (opts.render === 'auto' && (await (await import('./render.js')).canRender(units)));
  const rendered = wantRender
    ? await (await import('./render.js')).renderUnits(units, byPath, opts.cwd, root)
    : undefined;
  if (rendered) {
    // A chart's templates are not YAML: with rendering on, the chart is its build (or a note saying it could not be built).
    const templates = new Set(
      units.filter((u) => u.build?.tool === 'helm').flatMap((u) => u.files.map((f) => displayPath(f, opts.cwd))),
    );
    if (templates.size) problems = problems.filter((p) => !templates.has(p.file));
    append(problems, rendered.problems);
    append(warnings, rendered.warnings);
  }

  const loaded: LoadedUnit[] = [];
  for (const unit of units) {
    const built = rendered?.built.get(unit.id);
    if (built) {
      loaded.push({ unit, resources: built, patchFiles: new Set(), rendered: true });
      continue;
    }
    if (rendered && unit.build?.tool === 'helm') {
      loaded.push({ unit, resources: [], patchFiles: new Set(), rendered: false });
      continue;
    }
    let resources = unit.files.flatMap((f) => byPath.get(f)?.resources ?? []);
    const patches = new Set(unit.patches);
    if (patches.size) resources = mergePatches(resources, patches, `kustomization ${unit.root}`).resources;
    if (unit.namespace !== undefined) {
      const ns = unit.namespace;
      resources = resources.map((r) =>
        r.platform === 'kubernetes' &&
        !CLUSTER_SCOPED.has(r.kind) &&
        (r.namespace === undefined || (unit.namespaceForced && r.namespace !== ns))
          ? inNamespace(r, ns)
          : r,
      );
    }
    loaded.push({ unit, resources, patchFiles: patches, rendered: false });
  }

  // Env files named by stack services are read once each and checked as resources of their own, in the stack's unit.
  const all = files.flatMap((f) => f.resources);
  const envFiles = await attachEnvFiles(all, opts.cwd, root);
  append(warnings, envFiles.warnings);
  for (const u of loaded) {
    const extraEnv: Resource[] = [];
    for (const r of u.resources)
      for (const ref of r.envFiles?.values() ?? [])
        if (ref.resource && !extraEnv.includes(ref.resource)) extraEnv.push(ref.resource);
    append(u.resources, extraEnv);
  }
  const builtResources = [...(rendered?.built.values() ?? [])].flat();
  return {
    files,
    resources: [...all, ...builtResources, ...envFiles.resources],
    problems,
    suppressions: files.flatMap((f) => f.suppressions),
    warnings,
    missing,
    units: loaded,
    ...(rendered ? { render: { builds: rendered.builds, tools: rendered.tools } } : {}),
  };
}

/** Kinds that live in no namespace: a unit's namespace does not apply to them. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'VolumeSnapshotClass',
  'ClusterIssuer',
]);

/** The first sentence of a loader's description: what is wrong (the rest, how to fix it, is in the rule's docs). */
function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end === -1 ? text : text.slice(0, end);
}

/** A file whose bytes are not YAML text (binary, Latin-1…): one invalid-yaml finding at the first offending byte. */
function undecodable(file: ParsedFile['file'], d: { message: string; line: number; column: number }): ParsedFile {
  const range = { startLine: d.line, startColumn: d.column, endLine: d.line, endColumn: d.column + 1 };
  return {
    file,
    text: '',
    lines: new LineCounter(),
    docs: [],
    resources: [],
    problems: [
      {
        ruleId: 'invalid-yaml',
        file: file.path,
        range,
        message: d.message,
        messageId: 'notText',
        data: { problem: firstSentence(d.message) },
      },
    ],
    irrelevant: false,
    suppressions: [],
  };
}

export { displayPath };

function realOf(abs: string): string {
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}
