import { parsePath } from '../model/path.js';
import type { Finding, Resource } from '../model/types.js';

/** What identifies a live object in Git: ArgoCD's tracking id when it carries one, else its own kind, namespace and name. */
interface SourceId {
  kind: string;
  namespace?: string;
  name?: string;
}

const ARGOCD_TRACKING_ID = 'argocd.argoproj.io/tracking-id';

/** `<app>:<group>/<kind>:<namespace>/<name>` (ArgoCD's annotation tracking); the group and namespace may be empty. */
export function trackingId(live: Resource): SourceId | undefined {
  const m = /^[^:]+:[^/:]*\/([^:/]+):([^/]*)\/(.+)$/.exec(live.annotations[ARGOCD_TRACKING_ID] ?? '');
  if (!m) return undefined;
  return { kind: m[1]!, ...(m[2] ? { namespace: m[2] } : {}), name: m[3]! };
}

export interface Placement {
  findings: Finding[];
  /** Live objects with findings that no given file defines (`kind/namespace/name`). */
  unplaced: string[];
}

/**
 * Put each finding on a live object at the file that defines that object (kind and name equal, and the namespace equal
 * or left to the deployment tool in the file), at the reported field when the file has it, else at its closest parent.
 * GitHub code scanning accepts only results in files.
 */
export function placeInSources(
  findings: readonly Finding[],
  live: readonly Resource[],
  sources: readonly Resource[],
): Placement {
  const byName = new Map<string, Resource[]>();
  for (const r of sources)
    if (r.platform === 'kubernetes' && r.name)
      byName.set(`${r.kind}/${r.name}`, [...(byName.get(`${r.kind}/${r.name}`) ?? []), r]);
  const liveByLogical = new Map(live.map((r) => [r.file.path, r]));
  const unplaced = new Set<string>();
  const out = findings.map((f) => {
    if (f.cluster === undefined) return f;
    const object = liveByLogical.get(f.file);
    const id: SourceId = (object && trackingId(object)) ?? {
      kind: f.resource?.kind ?? '',
      ...(f.resource?.namespace ? { namespace: f.resource.namespace } : {}),
      ...(f.resource?.name ? { name: f.resource.name } : {}),
    };
    const candidates = byName.get(`${id.kind}/${id.name ?? ''}`) ?? [];
    const same = candidates.filter((r) => r.namespace === id.namespace);
    const open = candidates.filter((r) => r.namespace === undefined);
    const source = same.length === 1 ? same[0] : same.length === 0 && open.length === 1 ? open[0] : undefined;
    if (!source) {
      unplaced.add(f.file);
      return f;
    }
    const { range, exact } = source.locator.locate(f.path ? parsePath(f.path) : []);
    const { cluster, ...rest } = f;
    return {
      ...rest,
      file: source.file.path,
      range,
      exact,
      message: `${f.message} (live object ${f.file} in context "${cluster}", defined in this file)`,
    };
  });
  return { findings: out, unplaced: [...unplaced].sort() };
}
