import { isObject } from '../load/parse.js';
import { isEmptySelector, readSelector, selectorMatches, type Selector } from '../model/selector.js';
import type { Resource, Workload } from '../model/types.js';
import { workloadsOf } from '../model/workloads.js';

const HPA_KINDS = new Set(['HorizontalPodAutoscaler']);
const PDB_KINDS = new Set(['PodDisruptionBudget']);

/** Namespaces match when equal, or when either side leaves it unset (kustomize and `kubectl -n` fill it in later). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

export interface SelectingResource {
  resource: Resource;
  selector: Selector;
}

/**
 * Everything cross-resource rules ask about, built once per run in one pass over the resources.
 * Lookups are by key (kind/name, namespace); no rule scans every resource.
 */
export class ResourceIndex {
  readonly resources: readonly Resource[];
  readonly workloads: readonly Workload[];
  private readonly workloadsByResource = new Map<Resource, Workload[]>();
  private readonly hpasByTarget = new Map<string, Resource[]>();
  private readonly pdbsByNamespace = new Map<string, SelectingResource[]>();
  private readonly servicesByNamespace = new Map<string, SelectingResource[]>();
  private readonly workloadsByName = new Map<string, Workload[]>();
  private readonly workloadsByNamespace = new Map<string, Workload[]>();

  constructor(resources: readonly Resource[]) {
    this.resources = resources;
    const workloads: Workload[] = [];
    for (const r of resources) {
      const ws = workloadsOf(r);
      if (ws.length) {
        this.workloadsByResource.set(r, ws);
        for (const w of ws) {
          workloads.push(w);
          push(this.workloadsByName, `${w.kind}/${w.name}`, w);
          push(this.workloadsByNamespace, w.namespace ?? '', w);
        }
      }
      if (r.platform !== 'kubernetes') continue;
      const spec = isObject(r.value.spec) ? r.value.spec : undefined;
      if (HPA_KINDS.has(r.kind) && spec && isObject(spec.scaleTargetRef)) {
        const ref = spec.scaleTargetRef;
        push(this.hpasByTarget, `${String(ref.kind)}/${String(ref.name)}`, r);
      } else if (PDB_KINDS.has(r.kind) && spec) {
        const selector = readSelector(spec.selector);
        if (selector) push(this.pdbsByNamespace, r.namespace ?? '', { resource: r, selector });
      } else if (r.kind === 'Service' && spec && isObject(spec.selector)) {
        const selector = readSelector(spec.selector, true);
        if (selector && !isEmptySelector(selector)) push(this.servicesByNamespace, r.namespace ?? '', { resource: r, selector });
      }
    }
    this.workloads = workloads;
  }

  workloadsIn(resource: Resource): readonly Workload[] {
    return this.workloadsByResource.get(resource) ?? [];
  }

  /** HPAs whose scaleTargetRef names this workload. */
  hpasFor(w: Workload): Resource[] {
    return (this.hpasByTarget.get(`${w.kind}/${w.name}`) ?? []).filter((h) => sameNamespace(h.namespace, w.namespace));
  }

  /** PodDisruptionBudgets whose selector matches the workload's pod template labels. */
  pdbsMatching(w: Workload): Resource[] {
    if (Object.keys(w.podLabels).length === 0) return [];
    return this.inNamespace(this.pdbsByNamespace, w.namespace)
      .filter((p) => !isEmptySelector(p.selector) && selectorMatches(p.selector, w.podLabels))
      .map((p) => p.resource);
  }

  /** Services whose selector picks the workload's pods. */
  servicesSelecting(w: Workload): Resource[] {
    if (Object.keys(w.podLabels).length === 0) return [];
    return this.inNamespace(this.servicesByNamespace, w.namespace)
      .filter((s) => selectorMatches(s.selector, w.podLabels))
      .map((s) => s.resource);
  }

  /** Workloads (by kind and name) that a reference such as an HPA's scaleTargetRef points at. */
  workloadsNamed(kind: string, name: string, namespace: string | undefined): Workload[] {
    return (this.workloadsByName.get(`${kind}/${name}`) ?? []).filter((w) => sameNamespace(w.namespace, namespace));
  }

  /** Kubernetes workloads whose pod labels a selector matches, in a compatible namespace. */
  workloadsSelectedBy(selector: Selector, namespace: string | undefined): Workload[] {
    const out: Workload[] = [];
    for (const [ns, list] of this.workloadsByNamespace) {
      if (!sameNamespace(ns === '' ? undefined : ns, namespace)) continue;
      for (const w of list) if (w.platform === 'kubernetes' && selectorMatches(selector, w.podLabels)) out.push(w);
    }
    return out;
  }

  /** True when the input holds any Kubernetes workload in a namespace compatible with `namespace`. */
  hasWorkloadsIn(namespace: string | undefined): boolean {
    for (const [ns, list] of this.workloadsByNamespace)
      if (sameNamespace(ns === '' ? undefined : ns, namespace) && list.some((w) => w.platform === 'kubernetes')) return true;
    return false;
  }

  private inNamespace<T>(map: Map<string, T[]>, ns: string | undefined): T[] {
    if (ns === undefined) return [...map.values()].flat();
    return [...(map.get(ns) ?? []), ...(map.get('') ?? [])];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
