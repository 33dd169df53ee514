import { append } from '../model/append.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, Resource, Unit, UnitKind } from '../model/types.js';
import { displayPath } from './discover.js';
import { type ParsedFile } from './parse.js';
import { isObject } from '../model/json.js';

/**
 * Deployment units: what each application of a repository deploys, found in the repository itself. Cross-resource
 * rules resolve inside a unit, never across units (an HPA in an optional `extras/` folder does not scale a Deployment
 * of another application). In order of authority:
 *   1. ArgoCD `Application`/`ApplicationSet` sources and Flux `Kustomization`s of the input (paths from the repository
 *      root), with their directory options and namespaces;
 *   2. kustomization roots: a kustomization that no other kustomization of the input includes, with every file it
 *      reaches (bases, components, patches, generator files);
 *   3. Helm charts (a `Chart.yaml` and everything below it);
 *   4. the `units:` globs of the config (each matching directory, with everything below it, is one unit);
 *   5. every other directory is a unit of its own files, as `kubectl apply -f DIR` and ArgoCD's directory source
 *      (without `recurse`) read it.
 * A file can belong to several units (a base shared by overlays): it is judged in each, and reported once.
 */

export const KUSTOMIZATION_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST = /\.(ya?ml|json)$/i;

export interface UnitInput {
  files: readonly ParsedFile[];
  /** Display paths are relative to it. */
  cwd: string;
  /** Repository root: ArgoCD and Flux paths are relative to it, nothing outside it is read. */
  root: string;
  /** `units:` globs of the config, relative to `base`. */
  globs?: readonly string[];
  base?: string;
  /** Reads and parses a file that a kustomization or application names but the paths given did not include. */
  read?: (abs: string) => ParsedFile | undefined;
}

interface Kustomization {
  file: string;
  dir: string;
  /** Directories holding kustomizations that it includes (resources, bases, components). */
  dirs: string[];
  /** Files it names (resources, patches, generator inputs…). */
  files: string[];
  patches: string[];
  namespace?: string;
  /** Remote bases and resources (URLs): kustomize would fetch them. */
  remote: string[];
  /** Existing paths it names outside the repository: never read. */
  outside: string[];
  /** A kustomize Component: only built as part of a kustomization that includes it. */
  component: boolean;
}

export function discoverUnits(input: UnitInput): Unit[] {
  const files = new Map<string, ParsedFile>();
  for (const f of input.files) if (f.file.absPath) files.set(f.file.absPath, f);
  const fileOf = (abs: string): ParsedFile | undefined => {
    let f = files.get(abs);
    if (!f && input.read && isInside(abs, input.root)) {
      f = input.read(abs);
      if (f) files.set(abs, f);
    }
    return f;
  };

  // Kustomizations, also those only reachable from the ones given.
  const kustomizations = new Map<string, Kustomization>();
  const kustomizationIn = (dir: string): Kustomization | undefined => {
    for (const name of KUSTOMIZATION_NAMES) {
      const abs = path.join(dir, name);
      if (kustomizations.has(abs)) return kustomizations.get(abs);
      if (!files.has(abs) && !isFile(abs)) continue;
      const parsed = fileOf(abs);
      const k = readKustomization(abs, parsed, input.root);
      kustomizations.set(abs, k);
      for (const d of k.dirs) kustomizationIn(d);
      return k;
    }
    return undefined;
  };
  for (const f of [...files.values()])
    if (KUSTOMIZATION_NAMES.includes(path.basename(f.file.absPath))) kustomizationIn(path.dirname(f.file.absPath));
  const included = new Set<string>();
  for (const k of kustomizations.values()) for (const d of k.dirs) included.add(d);

  const units: Unit[] = [];
  const claimed = new Set<string>();
  const superseded = new Set<string>(); // kustomization dirs that an Application or Flux Kustomization deploys
  const show = (abs: string): string => displayPath(abs, input.cwd) || '.';

  const kustomizeUnit = (
    dir: string,
    kind: UnitKind,
    id: string,
    via: string,
    namespace: string | undefined,
    forced: boolean,
  ): Unit | undefined => {
    const root = kustomizationIn(dir);
    if (!root) return undefined;
    const unitFiles = new Set<string>();
    const patches = new Set<string>();
    const remote: string[] = [];
    const outside: string[] = [];
    const seen = new Set<string>();
    const visit = (k: Kustomization): void => {
      if (seen.has(k.file)) return;
      seen.add(k.file);
      unitFiles.add(k.file);
      append(remote, k.remote);
      append(outside, k.outside);
      for (const f of k.files) if (fileOf(f)) unitFiles.add(f);
      for (const p of k.patches) patches.add(p);
      for (const d of k.dirs) {
        const child = kustomizationIn(d);
        if (child) visit(child);
      }
    };
    visit(root);
    const ns = forced ? namespace : (root.namespace ?? namespace);
    return {
      id,
      kind,
      root: show(dir),
      absRoot: dir,
      files: [...unitFiles].sort(),
      via,
      ...(ns !== undefined ? { namespace: ns, namespaceForced: forced || root.namespace !== undefined } : {}),
      build: {
        tool: 'kustomize',
        dir,
        file: root.file,
        ...(remote.length ? { remote } : {}),
        ...(outside.length ? { outside } : {}),
      },
      patches: [...patches].sort(),
    };
  };

  const directoryUnit = (
    dir: string,
    recurse: boolean,
    kind: UnitKind,
    id: string,
    via: string,
    filter?: (rel: string) => boolean,
    namespace?: string,
    forced = false,
  ): Unit => {
    const picked = [...files.keys()]
      .filter((f) => MANIFEST.test(f) && (recurse ? isInside(f, dir) : path.dirname(f) === dir))
      .filter((f) => !filter || filter(path.relative(dir, f).split(path.sep).join('/')))
      .sort();
    return {
      id,
      kind,
      root: show(dir),
      absRoot: dir,
      files: picked,
      via,
      ...(namespace !== undefined ? { namespace, namespaceForced: forced } : {}),
      patches: [],
    };
  };

  const chartUnit = (dir: string, kind: UnitKind, id: string, via: string, namespace?: string): Unit => ({
    ...directoryUnit(dir, true, kind, id, via, undefined, namespace),
    build: { tool: 'helm', dir, file: path.join(dir, 'Chart.yaml') },
  });

  /** A source path of an Application or Flux Kustomization: a kustomization, a chart, or plain manifests. */
  const sourceUnit = (
    r: Resource,
    dir: string,
    kind: UnitKind,
    id: string,
    opts: { recurse: boolean; filter?: (rel: string) => boolean; namespace?: string; forced?: boolean },
  ): Unit | undefined => {
    if (!isInside(dir, input.root, true) || !isDirectory(dir)) return undefined;
    const via = `${r.kind} ${r.name ?? ''} (${r.file.path})`;
    if (kustomizationIn(dir)) {
      superseded.add(dir);
      return kustomizeUnit(dir, kind, id, via, opts.namespace, opts.forced ?? false);
    }
    if (isFile(path.join(dir, 'Chart.yaml'))) return chartUnit(dir, kind, id, via, opts.namespace);
    return directoryUnit(dir, opts.recurse, kind, id, via, opts.filter, opts.namespace, opts.forced ?? false);
  };

  // 1. ArgoCD and Flux.
  const resources = [...files.values()].flatMap((f) => f.resources).filter((r) => r.platform === 'kubernetes');
  for (const r of resources) {
    const group = (r.apiVersion ?? '').split('/')[0];
    const spec = isObject(r.value.spec) ? r.value.spec : undefined;
    if (!spec) continue;
    if (group === 'argoproj.io' && r.kind === 'Application') {
      const namespace =
        isObject(spec.destination) && typeof spec.destination.namespace === 'string'
          ? spec.destination.namespace
          : undefined;
      const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(isObject);
      sources.forEach((s, i) => {
        if (typeof s.path !== 'string') return;
        const id = `Application ${r.name ?? '?'}${sources.length > 1 ? ` #${i + 1}` : ''}`;
        const unit = sourceUnit(r, path.resolve(input.root, s.path), 'Application', id, {
          ...directoryOptions(s),
          ...(namespace ? { namespace } : {}),
        });
        if (unit) units.push(unit);
      });
    } else if (group === 'argoproj.io' && r.kind === 'ApplicationSet') {
      for (const u of applicationSetUnits(r, spec, input.root, [...files.keys()], (dir, id, opts) =>
        sourceUnit(r, dir, 'ApplicationSet', id, opts),
      ))
        units.push(u);
    } else if (group === 'kustomize.toolkit.fluxcd.io' && r.kind === 'Kustomization') {
      const target = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined;
      const p = typeof spec.path === 'string' ? spec.path : '.';
      // Flux builds the kustomization at the path, or generates one that includes every manifest below it.
      const unit = sourceUnit(
        r,
        path.resolve(input.root, p),
        'Flux Kustomization',
        `Flux Kustomization ${r.name ?? '?'}`,
        { recurse: true, ...(target ? { namespace: target, forced: true } : {}) },
      );
      if (unit) units.push(unit);
    }
  }
  for (const u of units) for (const f of u.files) claimed.add(f);

  // 2. Kustomization roots that no application deploys already.
  for (const k of [...kustomizations.values()].sort((a, b) => cmp(a.dir, b.dir))) {
    if (included.has(k.dir) || superseded.has(k.dir) || !files.has(k.file) || !isInside(k.file, input.root, true))
      continue;
    const unit = kustomizeUnit(
      k.dir,
      'kustomization',
      show(k.dir),
      k.component
        ? `kustomize Component (${show(k.file)}) that no kustomization of the input includes: checked as written, never built on its own`
        : `kustomization root (${show(k.file)}), included by no other kustomization`,
      undefined,
      false,
    );
    if (unit) {
      units.push(k.component ? { ...unit, build: undefined } : unit);
      for (const f of unit.files) claimed.add(f);
    }
  }

  // 3. Helm charts.
  const charts = outermost(
    [...files.keys()].filter((f) => path.basename(f) === 'Chart.yaml').map((f) => path.dirname(f)),
  );
  for (const dir of charts) {
    const unit = chartUnit(dir, 'chart', show(dir), `Helm chart (${show(path.join(dir, 'Chart.yaml'))})`);
    const free = unit.files.filter((f) => !claimed.has(f));
    if (free.length === 0) continue;
    units.push(unit);
    for (const f of unit.files) claimed.add(f);
  }

  // 4 and 5. What is left: the config's unit globs, else one unit per directory.
  const rest = [...files.keys()]
    .filter((f) => !claimed.has(f) && !KUSTOMIZATION_NAMES.includes(path.basename(f)))
    .sort();
  const globDirs = configUnitDirs(input, rest);
  const byDir = new Map<string, { dir: string; kind: UnitKind; files: string[] }>();
  for (const f of rest) {
    const configDir = globDirs.find((d) => isInside(f, d));
    const dir = configDir ?? path.dirname(f);
    const key = `${configDir ? 'c' : 'd'}:${dir}`;
    const entry = byDir.get(key) ?? { dir, kind: configDir ? ('config' as const) : ('directory' as const), files: [] };
    entry.files.push(f);
    byDir.set(key, entry);
  }
  for (const e of [...byDir.values()].sort((a, b) => cmp(a.dir, b.dir))) {
    const via =
      e.kind === 'config' ? 'the units: globs of the config' : 'a directory of manifests (kubectl apply -f DIR)';
    units.push({ id: show(e.dir), kind: e.kind, root: show(e.dir), absRoot: e.dir, files: e.files, via, patches: [] });
  }

  // Stdin is a unit of its own.
  for (const f of input.files)
    if (!f.file.absPath)
      units.push({
        id: f.file.path,
        kind: 'stdin',
        root: f.file.path,
        absRoot: '',
        files: [''],
        via: 'standard input',
        patches: [],
      });

  return uniqueIds(units.filter((u) => u.files.length > 0));
}

/** `directory.recurse`, `include` and `exclude` of an ArgoCD directory source (globs relative to the path). */
function directoryOptions(s: JsonObject): { recurse: boolean; filter?: (rel: string) => boolean } {
  const d = isObject(s.directory) ? s.directory : {};
  const recurse = d.recurse === true;
  const globs = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? expandBraces(v) : []);
  const include = globs(d.include);
  const exclude = globs(d.exclude);
  if (!include.length && !exclude.length) return { recurse };
  const inc = include.length ? picomatch(include, { dot: false }) : () => true;
  const exc = exclude.length ? picomatch(exclude, { dot: false }) : () => false;
  const base = (rel: string): string => rel.split('/').pop() ?? rel;
  return { recurse, filter: (rel) => (inc(rel) || inc(base(rel))) && !(exc(rel) || exc(base(rel))) };
}

/** ArgoCD writes several globs as `{a.yaml,b.yaml}`: picomatch reads braces too, but a top-level list is clearer. */
function expandBraces(glob: string): string[] {
  const m = /^\{([^{}]*)\}$/.exec(glob.trim());
  return m
    ? m[1]!
        .split(',')
        .map((g) => g.trim())
        .filter((g) => g !== '')
    : [glob.trim()];
}

type SourceUnitFn = (dir: string, id: string, opts: { recurse: boolean; namespace?: string }) => Unit | undefined;

/** The units of an ApplicationSet: its template's source path, for each directory its git generators list. */
function applicationSetUnits(
  r: Resource,
  spec: JsonObject,
  root: string,
  allFiles: readonly string[],
  sourceUnit: SourceUnitFn,
): Unit[] {
  const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : undefined;
  const source = template && isObject(template.source) ? template.source : undefined;
  if (!source || typeof source.path !== 'string') return [];
  const recurse = isObject(source.directory) && source.directory.recurse === true;
  const templatePath = source.path;
  if (!templatePath.includes('{{')) {
    const u = sourceUnit(path.resolve(root, templatePath), `ApplicationSet ${r.name ?? '?'}`, { recurse });
    return u ? [u] : [];
  }
  // Directories of git generators (also inside matrix and merge generators).
  const patterns: { path: string; exclude: boolean }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if (isObject(v.git) && Array.isArray(v.git.directories))
        for (const d of v.git.directories)
          if (isObject(d) && typeof d.path === 'string') patterns.push({ path: d.path, exclude: d.exclude === true });
      Object.values(v).forEach(walk);
    }
  };
  walk(spec.generators);
  if (!patterns.length) return [];
  const dirs = new Set<string>();
  for (const f of allFiles) for (let d = path.dirname(f); isInside(d, root); d = path.dirname(d)) dirs.add(d);
  const rel = (d: string): string => path.relative(root, d).split(path.sep).join('/');
  const inc = picomatch(patterns.filter((p) => !p.exclude).map((p) => p.path));
  const excluded = patterns.filter((p) => p.exclude).map((p) => p.path);
  const exc = excluded.length ? picomatch(excluded) : () => false;
  const units: Unit[] = [];
  for (const d of [...dirs].sort()) {
    if (!inc(rel(d)) || exc(rel(d))) continue;
    const resolved = templatePath.replace(/\{\{\s*\.?path(?:\.path)?\s*\}\}/g, rel(d));
    if (resolved.includes('{{')) continue;
    const u = sourceUnit(path.resolve(root, resolved), `ApplicationSet ${r.name ?? '?'} ${rel(d)}`, { recurse });
    if (u) units.push(u);
  }
  return units;
}

/** Directories that the config's `units:` globs name, deepest first. */
function configUnitDirs(input: UnitInput, files: readonly string[]): string[] {
  if (!input.globs?.length) return [];
  const base = input.base ?? input.root;
  const match = picomatch(
    input.globs.map((g) => g.replace(/\/+$/, '')),
    { dot: true },
  );
  const dirs = new Set<string>();
  for (const f of files)
    for (let d = path.dirname(f); isInside(d, base, true); d = path.dirname(d)) {
      const rel = path.relative(base, d).split(path.sep).join('/') || '.';
      if (match(rel)) dirs.add(d);
      if (d === base) break;
    }
  return [...dirs].sort((a, b) => b.length - a.length || cmp(a, b));
}

function readKustomization(file: string, parsed: ParsedFile | undefined, root: string): Kustomization {
  const dir = path.dirname(file);
  const k: Kustomization = { file, dir, dirs: [], files: [], patches: [], remote: [], outside: [], component: false };
  let value: unknown;
  try {
    value = parsed ? parseYaml(parsed.text) : undefined;
  } catch {
    return k; // kustomize says what is wrong when it builds; render-failed
  }
  if (!isObject(value)) return k;
  k.component = value.kind === 'Component';
  if (typeof value.namespace === 'string' && value.namespace !== '') k.namespace = value.namespace;
  const local = (p: unknown): string | undefined => {
    if (typeof p !== 'string' || p === '' || p.length > 1024 || p.includes('\n')) return undefined;
    if (/:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\/|^git@|^git::/.test(p)) {
      k.remote.push(p);
      return undefined;
    }
    const abs = path.resolve(dir, p);
    if (!isInside(abs, root, true)) {
      k.outside.push(p);
      return undefined;
    }
    return abs;
  };
  const ref = (p: unknown): void => {
    const abs = local(p);
    if (!abs) return;
    if (isDirectory(abs)) k.dirs.push(abs);
    else k.files.push(abs);
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  for (const field of ['resources', 'bases', 'components', 'crds']) list(value[field]).forEach(ref);
  for (const field of ['transformers', 'generators', 'validators'])
    list(value[field]).forEach((p) => (typeof p === 'string' ? ref(p) : undefined));
  const patch = (p: unknown): void => {
    const abs = local(p);
    if (abs) {
      k.files.push(abs);
      k.patches.push(abs);
    }
  };
  for (const p of list(value.patches)) patch(isObject(p) ? p.path : p);
  for (const p of list(value.patchesStrategicMerge)) patch(p);
  for (const p of list(value.patchesJson6902)) patch(isObject(p) ? p.path : undefined);
  for (const p of list(value.replacements)) if (isObject(p)) ref(p.path);
  for (const g of [...list(value.configMapGenerator), ...list(value.secretGenerator)]) {
    if (!isObject(g)) continue;
    for (const f of [...list(g.files), ...list(g.envs), g.env])
      if (typeof f === 'string') ref(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
  }
  return k;
}

function uniqueIds(units: Unit[]): Unit[] {
  const seen = new Map<string, number>();
  for (const u of units) {
    const n = (seen.get(u.id) ?? 0) + 1;
    seen.set(u.id, n);
    if (n > 1) (u as { id: string }).id = `${u.id} (${n})`;
  }
  return units;
}

function outermost(dirs: string[]): string[] {
  const sorted = [...new Set(dirs)].sort();
  return sorted.filter((d) => !sorted.some((o) => o !== d && isInside(d, o)));
}

/** True when `p` is below `dir` (or is `dir` itself, with `orSame`). */
export function isInside(p: string, dir: string, orSame = false): boolean {
  const rel = path.relative(dir, p);
  if (rel === '') return orSame;
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
