import path from 'node:path';
import { isObject } from '../model/json.js';

/**
 * How kustomize uses a manifest file of the input: `patch` (a partial object merged into another, so required fields
 * may be absent), or `labeled` (a resource of a kustomization with commonLabels, which fills in spec.selector).
 * Files are keyed by absolute path. Without --render, these files are checked as they are written.
 */
export type KustomizeRole = 'patch' | 'labeled';

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/** Roles of the files named by the kustomizations among `files` (parsed documents, as the loader read them). */
export function kustomizeRoles(
  files: readonly { file: { absPath: string }; docs: readonly { toJS(): unknown }[] }[],
): Map<string, KustomizeRole> {
  const roles = new Map<string, KustomizeRole>();
  for (const f of files) {
    if (!f.file.absPath || !KUSTOMIZATION.test(path.basename(f.file.absPath))) continue;
    let k: unknown;
    try {
      k = f.docs[0]?.toJS();
    } catch {
      continue;
    }
    if (!isObject(k)) continue;
    const dir = path.dirname(f.file.absPath);
    const at = (p: unknown): string | undefined =>
      typeof p === 'string' && !p.includes('\n') ? path.resolve(dir, p) : undefined;
    const patches = [
      ...(Array.isArray(k.patches) ? k.patches : []).map((p) => (isObject(p) ? p.path : p)),
      ...(Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []),
      ...(Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []).map((p) => (isObject(p) ? p.path : undefined)),
    ];
    for (const p of patches) {
      const abs = at(p);
      if (abs) roles.set(abs, 'patch');
    }
    const labelsSelectors =
      isObject(k.commonLabels) ||
      (Array.isArray(k.labels) && k.labels.some((l) => isObject(l) && l.includeSelectors === true));
    if (!labelsSelectors) continue;
    for (const r of Array.isArray(k.resources) ? k.resources : []) {
      const abs = at(r);
      if (abs && !roles.has(abs)) roles.set(abs, 'labeled');
    }
  }
  return roles;
}
