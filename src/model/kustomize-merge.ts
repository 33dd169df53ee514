import { isObject } from './json.js';
import { step, valueAt } from './path.js';
import type { JsonObject, Location, Locator, Path, Resource } from './types.js';

/**
 * Without kustomize on PATH, a kustomize unit is checked as its files are written, with each strategic-merge patch of
 * the unit applied to the object of the same kind and name, the way kustomize applies it: maps merge, lists of named
 * items (containers, env, volumes…) merge by name, a scalar of the patch wins, `null` deletes. So a base with
 * `replicas: 3` and an overlay patch with `replicas: 1` is one Deployment with one replica, reported at the patch's
 * line, instead of two contradictory verdicts. Name prefixes, generators and JSON 6902 patches are kustomize's alone:
 * `--render` (the default when kubectl is installed) checks the real build.
 */
export function mergePatches(
  resources: readonly Resource[],
  patchFiles: ReadonlySet<string>,
  via: string,
): { resources: Resource[]; merged: number } {
  const patches = resources.filter(
    (r) => patchFiles.has(r.file.absPath) && r.platform === 'kubernetes' && r.name !== undefined,
  );
  if (!patches.length) return { resources: [...resources], merged: 0 };
  const used = new Set<Resource>();
  const out: Resource[] = [];
  let merged = 0;
  for (const r of resources) {
    if (patches.includes(r)) continue;
    const mine =
      r.platform === 'kubernetes' && r.name !== undefined
        ? patches.filter(
            (p) => p.kind === r.kind && p.name === r.name && (p.namespace === undefined || p.namespace === r.namespace),
          )
        : [];
    if (!mine.length) {
      out.push(r);
      continue;
    }
    let value: unknown = r.value;
    for (const p of mine) {
      value = strategicMerge(value, p.value);
      used.add(p);
    }
    merged++;
    out.push({ ...r, value: value as JsonObject, locator: new MergedLocator(r, mine, value, via) });
  }
  // A patch whose object is not in the unit (a remote base, a generated object) stays a fragment of its own.
  for (const p of patches) if (!used.has(p)) out.push(p);
  return { resources: out, merged };
}

/** kustomize's merge keys for the lists it merges item by item. */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'devicePath', 'ip', 'topologyKey'];

export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isObject(patch) && patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (isObject(base) && isObject(patch)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (
        k === '$patch' ||
        k.startsWith('$setElementOrder') ||
        k.startsWith('$retainKeys') ||
        k.startsWith('$deleteFromPrimitiveList')
      )
        continue;
      if (v === null) delete out[k];
      else out[k] = k in base ? strategicMerge(base[k], v) : v;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const key = mergeKey(base, patch);
    if (!key) return patch;
    const out: unknown[] = base.slice();
    for (const item of patch) {
      if (!isObject(item)) continue;
      const at = out.findIndex((b) => isObject(b) && b[key] === item[key]);
      if (item.$patch === 'delete') {
        if (at >= 0) out.splice(at, 1);
      } else if (at >= 0) out[at] = strategicMerge(out[at], item);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

function mergeKey(base: unknown[], patch: unknown[]): string | undefined {
  if (!base.length || !patch.length || !base.every(isObject) || !patch.every(isObject)) return undefined;
  return MERGE_KEYS.find(
    (k) =>
      base.every((b) => (b as JsonObject)[k] !== undefined) && patch.every((p) => (p as JsonObject)[k] !== undefined),
  );
}

/** Locates a merged object: a value a patch sets at the patch's line (in the patch file), the rest in the base. */
class MergedLocator implements Locator {
  constructor(
    private readonly base: Resource,
    private readonly patches: readonly Resource[],
    private readonly merged: unknown,
    private readonly via: string,
  ) {}

  locate(p: Path): Location {
    const value = valueAt(this.merged, p);
    // The last patch that writes a scalar here decides it; collections are shown where the base writes them.
    if (
      value !== undefined &&
      (typeof value !== 'object' ||
        value === null ||
        valueAt(this.base.value, this.translate(this.base.value, p)) === undefined)
    ) {
      for (const patch of [...this.patches].reverse()) {
        const pp = this.translate(patch.value, p);
        const there = valueAt(patch.value, pp);
        if (there === undefined || (typeof there !== 'object' && there !== value)) continue;
        const hit = patch.locator.locate(pp);
        if (hit.exact) return { range: hit.range, exact: true, file: patch.file, note: 'set by this patch' };
      }
    }
    return this.base.locator.locate(this.translate(this.base.value, p));
  }

  /** Indexes of the merged lists are not those of each file: follow items by their merge key. */
  private translate(source: unknown, p: Path): Path {
    const out: (string | number)[] = [];
    let m: unknown = this.merged;
    let s: unknown = source;
    for (const seg of p) {
      let next: string | number = seg;
      if (typeof seg === 'number' && Array.isArray(m) && Array.isArray(s)) {
        const item = m[seg] as unknown;
        const key = isObject(item) ? MERGE_KEYS.find((k) => item[k] !== undefined) : undefined;
        const j =
          key === undefined ? -1 : s.findIndex((x: unknown) => isObject(x) && x[key] === (item as JsonObject)[key]);
        next = j >= 0 ? j : s.length + seg; // not in this file: a path that does not exist there
      }
      out.push(next);
      m = step(m, seg);
      s = step(s, next);
    }
    return out;
  }
}

/** The same object in a unit that deploys it to `namespace` (kustomize `namespace:`, ArgoCD destination, Flux target). */
export function inNamespace(r: Resource, namespace: string): Resource {
  return { ...r, namespace };
}
