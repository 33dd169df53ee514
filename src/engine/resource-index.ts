import { append } from '../model/append.js';
import path from 'node:path';
import { isObject } from '../load/parse.js';
import { isEmptySelector, readSelector, type Selector } from '../model/selector.js';
import type { Resource, Workload } from '../model/types.js';
import { workloadsOf } from '../model/workloads.js';
import { selectingMatches, workloadsMatching } from './selector-index.js';

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
  private readonly limitRangesByNamespace = new Map<string, Resource[]>();
  private readonly customResourcesByNamespace = new Map<string, Resource[]>();
  private readonly kustomizeImages = new Set<string>();
  private readonly patchFiles: ReadonlySet<string>;

  constructor(resources: readonly Resource[]) {
    this.resources = resources;
    const workloads: Workload[] = [];
    this.patchFiles = kustomizePatchFiles(resources);
    for (const r of resources) {
      // `$patch: delete` removes the workload: it runs nothing.
      const ws = r.value.$patch === 'delete' ? [] : workloadsOf(r);
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
      } else if (r.kind === 'LimitRange' && spec) {
        push(this.limitRangesByNamespace, r.namespace ?? '', r);
      } else if (isKustomization(r)) {
        for (const img of Array.isArray(r.value.images) ? r.value.images : []) {
          if (isObject(img) && typeof img.name === 'string' && (img.newTag !== undefined || img.digest !== undefined)) this.kustomizeImages.add(img.name);
        }
      } else if (isCustomResource(r)) {
        push(this.customResourcesByNamespace, r.namespace ?? '', r);
      }
    }
    this.workloads = workloads;
  }

  workloadsIn(resource: Resource): readonly Workload[] {
    return this.workloadsByResource.get(resource) ?? [];
  }

  /** HPAs whose scaleTargetRef names this workload. */
  hpasFor(w: Workload): Resource[] {
    return nearest((this.hpasByTarget.get(`${w.kind}/${w.name}`) ?? []).filter((h) => sameNamespace(h.namespace, w.namespace)), w.resource, (h) => h);
  }

  /** PodDisruptionBudgets whose selector matches the workload's pod template labels. */
  pdbsMatching(w: Workload): Resource[] {
    if (Object.keys(w.podLabels).length === 0) return [];
    return this.namespaceLists(this.pdbsByNamespace, w.namespace)
      .flatMap((list) => selectingMatches(list, w.podLabels))
      .filter((p) => !isEmptySelector(p.selector))
      .map((p) => p.resource);
  }

  /** Services whose selector picks the workload's pods. */
  servicesSelecting(w: Workload): Resource[] {
    if (Object.keys(w.podLabels).length === 0) return [];
    return this.namespaceLists(this.servicesByNamespace, w.namespace)
      .flatMap((list) => selectingMatches(list, w.podLabels))
      .map((s) => s.resource);
  }

  /** Workloads (by kind and name) that a reference such as an HPA's scaleTargetRef points at. */
  workloadsNamed(kind: string, name: string, namespace: string | undefined, near?: Resource): Workload[] {
    const all = (this.workloadsByName.get(`${kind}/${name}`) ?? []).filter((w) => sameNamespace(w.namespace, namespace));
    return near ? nearest(all, near, (w) => w.resource) : all;
  }

  /** Kubernetes workloads whose pod labels a selector matches, in a compatible namespace. */
  workloadsSelectedBy(selector: Selector, namespace: string | undefined): Workload[] {
    const out: Workload[] = [];
    for (const [ns, list] of this.workloadsByNamespace) {
      if (!sameNamespace(ns === '' ? undefined : ns, namespace)) continue;
      append(out, workloadsMatching(list, selector));
    }
    return out;
  }

  /** True when the input holds any Kubernetes workload in a namespace compatible with `namespace`. */
  hasWorkloadsIn(namespace: string | undefined): boolean {
    for (const [ns, list] of this.workloadsByNamespace)
      if (sameNamespace(ns === '' ? undefined : ns, namespace) && list.some((w) => w.platform === 'kubernetes')) return true;
    return false;
  }

  /**
   * Container resources (`cpu`, `memory`…) a LimitRange in the input fills in when a container leaves them out:
   * `defaultRequest` gives requests, `default` gives limits (and requests, which default to limits).
   */
  limitRangeDefaults(namespace: string | undefined): { requests: ReadonlySet<string>; limits: ReadonlySet<string> } {
    const requests = new Set<string>();
    const limits = new Set<string>();
    for (const lr of this.inNamespace(this.limitRangesByNamespace, namespace)) {
      const spec = isObject(lr.value.spec) ? lr.value.spec : {};
      for (const item of Array.isArray(spec.limits) ? spec.limits : []) {
        if (!isObject(item) || (item.type !== undefined && item.type !== 'Container')) continue;
        for (const k of isObject(item.default) ? Object.keys(item.default) : []) {
          limits.add(k);
          requests.add(k);
        }
        for (const k of isObject(item.defaultRequest) ? Object.keys(item.defaultRequest) : []) requests.add(k);
      }
    }
    return { requests, limits };
  }

  /**
   * True when a kustomization of the input applies this resource's file as a patch: the fields it has are meant
   * (a `replicas: 1` for production), but the fields it lacks come from the base, so rules about a missing field skip it.
   */
  isKustomizePatch(r: Resource): boolean {
    return this.patchFiles.has(r.file.path);
  }

  /** True when a kustomization in the input sets the tag or digest of this image name (`images: [{name, newTag}]`). */
  kustomizeSetsTag(imageName: string): boolean {
    return this.kustomizeImages.has(imageName);
  }

  /** Objects of API groups outside Kubernetes itself (operators' custom resources), in a compatible namespace. */
  customResourcesIn(namespace: string | undefined): Resource[] {
    return this.inNamespace(this.customResourcesByNamespace, namespace);
  }

  /** The lists `inNamespace` concatenates, in the same order (for indexed lookups inside each). */
  private namespaceLists<T>(map: Map<string, T[]>, ns: string | undefined): T[][] {
    if (ns === undefined) return [...map.values()];
    return [map.get(ns) ?? [], map.get('') ?? []];
  }

  private inNamespace<T>(map: Map<string, T[]>, ns: string | undefined): T[] {
    if (ns === undefined) return [...map.values()].flat();
    return [...(map.get(ns) ?? []), ...(map.get('') ?? [])];
  }
}

function isKustomization(r: Resource): boolean {
  return (r.kind === 'Kustomization' || r.kind === 'Component') && (r.apiVersion ?? '').startsWith('kustomize.config.k8s.io/');
}

/** Files that a kustomization of the input applies as patches (`patches`, `patchesStrategicMerge`, `patchesJson6902`). */
function kustomizePatchFiles(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    if (!isKustomization(r)) continue;
    const dir = path.posix.dirname(r.file.path);
    for (const field of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
      const list = r.value[field];
      for (const e of Array.isArray(list) ? list : []) {
        const file = typeof e === 'string' ? e : isObject(e) && typeof e.path === 'string' ? e.path : undefined;
        if (file && !file.includes('\n')) out.add(path.posix.normalize(path.posix.join(dir, file)));
      }
    }
  }
  return out;
}

/**
 * Of several objects a reference could mean (the same name in a kustomize base and an overlay, or in two projects of
 * one run), the ones whose file shares the longest directory prefix with the asking resource's file.
 */
function nearest<T>(items: T[], from: Resource, resourceOf: (t: T) => Resource): T[] {
  if (items.length < 2) return items;
  const dirs = (f: Resource): string[] => f.file.path.split('/').slice(0, -1);
  const here = dirs(from);
  const shared = (t: T): number => {
    const there = dirs(resourceOf(t));
    let n = 0;
    while (n < here.length && n < there.length && here[n] === there[n]) n++;
    return n;
  };
  const best = items.reduce((m, t) => Math.max(m, shared(t)), 0);
  return items.filter((t) => shared(t) === best);
}

/** A custom resource: its API group has a dot and is not one of Kubernetes' own (`*.k8s.io`, except the SIGs' `*.x-k8s.io`). */
export function isCustomResource(r: Resource): boolean {
  const slash = (r.apiVersion ?? '').indexOf('/');
  if (slash === -1) return false;
  const group = (r.apiVersion ?? '').slice(0, slash);
  return group.includes('.') && (!group.endsWith('.k8s.io') || group.endsWith('.x-k8s.io'));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
