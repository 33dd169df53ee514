import { append } from '../model/append.js';
import path from 'node:path';
import { isObject } from '../model/json.js';
import { hpaView, type HpaView } from '../model/hpa.js';
import { inOwnGroup } from '../model/kinds.js';
import { isEmptySelector, readSelector, type Selector } from '../model/selector.js';
import type { Resource, Workload } from '../model/types.js';
import { workloadsOf } from '../model/workloads-of.js';
import { selectingMatches, workloadsMatching } from './selector-index.js';

const HPA_KINDS = new Set(['HorizontalPodAutoscaler']);
const PDB_KINDS = new Set(['PodDisruptionBudget']);

/** Namespaces match when equal, or when either side leaves it unset (kustomize and `kubectl -n` fill it in later). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** How a ConfigMap is read as environment: by its first consumer, every key and/or some keys (key → variable name). */
export interface ConfigMapEnvUse {
  workload: Workload;
  container: string;
  all: boolean;
  keys: Map<string, string>;
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
  /** Image name → directories of the skaffold.yaml files that build it. */
  private readonly buildArtifacts = new Map<string, string[]>();
  private readonly configMapsByName = new Map<string, Resource[]>();
  private readonly namespacesByName = new Map<string, Resource[]>();
  /** Objects that references name (`kind` → name → objects), for the reference rules. */
  private readonly named = new Map<string, Map<string, Resource[]>>();
  /** `namespace/name` of every ServiceAccount a RoleBinding or ClusterRoleBinding of the input grants a role. */
  private readonly boundAccounts = new Set<string>();
  /** `ConfigMap/name`, `Secret/name`: what the kustomizations of the input generate. */
  private readonly generated = new Set<string>();
  private configMapEnv: Map<Resource, ConfigMapEnvUse> | undefined;
  private configMapEnvByWorkload: Map<Workload, [Resource, ConfigMapEnvUse][]> | undefined;
  /** Every namespace's list of a by-namespace map as one list, in the order `inNamespace` concatenates them. */
  private readonly flatLists = new Map<Map<string, unknown[]>, unknown[]>();
  /** Namespaces ('' for none) that hold a Kubernetes workload. */
  private kubernetesNamespaces: Set<string> | undefined;
  private targetNames: Map<string, { first: Map<string, Workload>; names: Map<string, string[]> }> | undefined;
  private readonly patchFiles: ReadonlySet<string>;
  private readonly patchAbsFiles: ReadonlySet<string>;
  private readonly morePatchFiles: ReadonlySet<string>;
  private readonly sharedArtifacts: ReadonlyMap<string, string[]> | undefined;
  private readonly whole: (() => ResourceIndex) | undefined;

  /**
   * `patchFiles`: absolute paths of the unit's patch fragments (load/units.ts); `whole`: the index of the whole run,
   * for questions a unit alone cannot answer (is an HPA's target deployed by another unit?).
   */
  constructor(
    resources: readonly Resource[],
    opts: {
      patchFiles?: ReadonlySet<string>;
      morePatchFiles?: ReadonlySet<string>;
      whole?: () => ResourceIndex;
      buildArtifacts?: ReadonlyMap<string, string[]>;
    } = {},
  ) {
    this.resources = resources;
    const workloads: Workload[] = [];
    this.patchFiles = kustomizePatchFiles(resources);
    this.patchAbsFiles = opts.patchFiles ?? new Set();
    this.morePatchFiles = opts.morePatchFiles ?? new Set();
    // Skaffold builds for the whole repository, whatever unit the skaffold.yaml is in (run.ts computes them once).
    this.sharedArtifacts = opts.buildArtifacts;
    this.whole = opts.whole;
    for (const r of resources) {
      // `$patch: delete` removes the workload: it runs nothing.
      const ws = r.value.$patch === 'delete' ? [] : workloadsOnce(r);
      if (ws.length) {
        this.workloadsByResource.set(r, ws);
        for (const w of ws) {
          workloads.push(w);
          push(this.workloadsByName, `${w.kind}/${w.name}`, w);
          push(this.workloadsByNamespace, w.namespace ?? '', w);
        }
      }
      // A built-in kind under another API group (`v1` PodDisruptionBudget) is refused by kubectl: it covers nothing.
      if (r.platform !== 'kubernetes' || !inOwnGroup(r.kind, r.apiVersion)) continue;
      const spec = isObject(r.value.spec) ? r.value.spec : undefined;
      if (HPA_KINDS.has(r.kind) && spec && isObject(spec.scaleTargetRef)) {
        const ref = spec.scaleTargetRef;
        push(this.hpasByTarget, `${String(ref.kind)}/${String(ref.name)}`, r);
      } else if (PDB_KINDS.has(r.kind) && spec) {
        const selector = readSelector(spec.selector);
        if (selector) push(this.pdbsByNamespace, r.namespace ?? '', { resource: r, selector });
      } else if (r.kind === 'Service' && spec && isObject(spec.selector)) {
        const selector = readSelector(spec.selector, true);
        if (selector && !isEmptySelector(selector))
          push(this.servicesByNamespace, r.namespace ?? '', { resource: r, selector });
      }
      if (r.name && NAMED_KINDS.has(r.kind)) {
        let byName = this.named.get(r.kind);
        if (!byName) this.named.set(r.kind, (byName = new Map()));
        push(byName, r.name, r);
      }
      if ((r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding') && Array.isArray(r.value.subjects)) {
        for (const sub of r.value.subjects)
          if (isObject(sub) && sub.kind === 'ServiceAccount' && typeof sub.name === 'string')
            this.boundAccounts.add(
              `${typeof sub.namespace === 'string' ? sub.namespace : (r.namespace ?? '')}/${sub.name}`,
            );
      }
      if (r.kind === 'Namespace' && r.apiVersion === 'v1' && r.name) {
        push(this.namespacesByName, r.name, r);
      } else if (r.kind === 'ConfigMap' && r.apiVersion === 'v1' && r.name) {
        push(this.configMapsByName, r.name, r);
      } else if (r.kind === 'LimitRange' && spec) {
        push(this.limitRangesByNamespace, r.namespace ?? '', r);
      } else if (isKustomization(r)) {
        for (const [field, kind] of [
          ['configMapGenerator', 'ConfigMap'],
          ['secretGenerator', 'Secret'],
        ] as const)
          for (const g of Array.isArray(r.value[field]) ? r.value[field] : [])
            if (isObject(g) && typeof g.name === 'string') this.generated.add(`${kind}/${g.name}`);
        // A new name alone (a registry mirror) keeps the tag as written: only newTag or digest pin it.
        for (const img of Array.isArray(r.value.images) ? r.value.images : []) {
          if (isObject(img) && typeof img.name === 'string' && (img.newTag !== undefined || img.digest !== undefined))
            this.kustomizeImages.add(img.name);
        }
      } else if (r.kind === 'Config' && (r.apiVersion ?? '').startsWith('skaffold/')) {
        for (const image of skaffoldArtifacts(r.value))
          push(this.buildArtifacts, image, path.posix.dirname(r.file.path));
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
    return nearest(
      (this.hpasByTarget.get(`${w.kind}/${w.name}`) ?? []).filter((h) => sameNamespace(h.namespace, w.namespace)),
      w.resource,
      (h) => h,
    );
  }

  /**
   * The HPA that scales a workload, read with defaults (model/hpa.ts). When several target one workload, the HPA
   * controller refuses to scale it (AmbiguousSelector) and the manifests are wrong anyway: the nearest one (same
   * directory first, then file order) is the one that counts, everywhere.
   */
  hpaFor(w: Workload): HpaView | undefined {
    const first = this.hpasFor(w)[0];
    return first ? hpaView(first) : undefined;
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
    const all = (this.workloadsByName.get(`${kind}/${name}`) ?? []).filter((w) =>
      sameNamespace(w.namespace, namespace),
    );
    return near ? nearest(all, near, (w) => w.resource) : all;
  }

  /** Kubernetes workloads whose pod labels a selector matches, in a compatible namespace. */
  workloadsSelectedBy(selector: Selector, namespace: string | undefined): Workload[] {
    const out: Workload[] = [];
    for (const list of this.namespaceLists(this.workloadsByNamespace, namespace))
      append(out, workloadsMatching(list, selector));
    return out;
  }

  /** True when the input holds any Kubernetes workload in a namespace compatible with `namespace` (`exact`: the same one). */
  hasWorkloadsIn(namespace: string | undefined, exact = false): boolean {
    if (!this.kubernetesNamespaces) {
      this.kubernetesNamespaces = new Set();
      for (const w of this.workloads) if (w.platform === 'kubernetes') this.kubernetesNamespaces.add(w.namespace ?? '');
    }
    const set = this.kubernetesNamespaces;
    if (exact) return set.has(namespace ?? '');
    return namespace === undefined ? set.size > 0 : set.has(namespace) || set.has('');
  }

  /**
   * Of the Kubernetes workloads whose kind is in `kinds`, the first named `name` (in index order), and the distinct
   * names of each kind in the order they first appear: for did-you-mean hints, built once per index rather than by
   * a filter over every workload for each reference that misses.
   */
  workloadNames(
    kinds: ReadonlySet<string>,
    kind: string,
    name: string,
  ): { sameName: Workload | undefined; names: readonly string[] } {
    const key = [...kinds].join('/');
    this.targetNames ??= new Map();
    let cached = this.targetNames.get(key);
    if (!cached) {
      cached = { first: new Map(), names: new Map() };
      const seen = new Map<string, Set<string>>();
      for (const w of this.workloads) {
        if (w.platform !== 'kubernetes' || !kinds.has(w.kind)) continue;
        if (!cached.first.has(w.name)) cached.first.set(w.name, w);
        let names = cached.names.get(w.kind);
        let set = seen.get(w.kind);
        if (!names || !set) {
          cached.names.set(w.kind, (names = []));
          seen.set(w.kind, (set = new Set()));
        }
        if (!set.has(w.name)) {
          set.add(w.name);
          names.push(w.name);
        }
      }
      this.targetNames.set(key, cached);
    }
    return { sameName: cached.first.get(name), names: cached.names.get(kind) ?? [] };
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
    return (
      this.patchFiles.has(r.file.path) ||
      (r.file.absPath !== '' && (this.patchAbsFiles.has(r.file.absPath) || this.morePatchFiles.has(r.file.absPath)))
    );
  }

  /** The index of the whole run when the run has several units, else this one. */
  run(): ResourceIndex {
    return this.whole ? this.whole() : this;
  }

  /** True when a kustomization in the input sets the tag or digest of this image name (`images: [{name, newTag}]`). */
  kustomizeSetsTag(imageName: string): boolean {
    return this.kustomizeImages.has(imageName);
  }

  /** Objects of a kind (ServiceAccount, Secret, ConfigMap, Service, PodDisruptionBudget) named `name` in a compatible namespace. */
  objectsNamed(kind: string, name: string, namespace: string | undefined): Resource[] {
    return (this.named.get(kind)?.get(name) ?? []).filter((r) => sameNamespace(r.namespace, namespace));
  }

  /** Names of the objects of a kind in a compatible namespace (for did-you-mean). */
  namesOf(kind: string, namespace: string | undefined): string[] {
    const out: string[] = [];
    for (const [name, list] of this.named.get(kind) ?? [])
      if (list.some((r) => sameNamespace(r.namespace, namespace))) out.push(name);
    return out;
  }

  /** True when a kustomization of the input generates this ConfigMap or Secret (configMapGenerator, secretGenerator). */
  kustomizeGenerates(kind: string, name: string): boolean {
    return (
      this.generated.has(`${kind}/${name}`) ||
      (this.whole !== undefined && this.whole().generated.has(`${kind}/${name}`))
    );
  }

  /** True when a RoleBinding or ClusterRoleBinding of the input grants this ServiceAccount a role. */
  serviceAccountBound(name: string, namespace: string | undefined): boolean {
    if (namespace !== undefined)
      return this.boundAccounts.has(`${namespace}/${name}`) || this.boundAccounts.has(`/${name}`);
    for (const key of this.boundAccounts) if (key.endsWith(`/${name}`)) return true;
    return false;
  }

  /**
   * The Namespace object of this name: the unit's own, else one anywhere in the run (a namespace is one object of the
   * cluster, whichever directory defines it), else one read from the live cluster.
   */
  namespaceObject(name: string, near: Resource): Resource | undefined {
    const own = this.namespacesByName.get(name);
    if (own?.length) return nearest(own, near, (n) => n)[0];
    if (this.whole) return this.whole().namespaceObject(name, near);
    return undefined;
  }

  /** ConfigMaps of this name in a compatible namespace, the closest to `near` in the directory tree. */
  configMapsNamed(name: string, namespace: string | undefined, near: Resource): Resource[] {
    return nearest(
      (this.configMapsByName.get(name) ?? []).filter((c) => sameNamespace(c.namespace, namespace)),
      near,
      (c) => c,
    );
  }

  /**
   * The ConfigMaps of the input that a Kubernetes workload reads as environment, each with the first workload that does
   * (so a rule reports a ConfigMap entry once) and what it reads: every key (`envFrom.configMapRef`), or some keys under
   * a variable name (`env[].valueFrom.configMapKeyRef`). Built on first use, in one pass over the workloads.
   */
  configMapsAsEnv(): ReadonlyMap<Resource, ConfigMapEnvUse> {
    if (this.configMapEnv) return this.configMapEnv;
    const out = new Map<Resource, ConfigMapEnvUse>();
    const use = (w: Workload, container: string, name: unknown, key?: { key: string; variable: string }): void => {
      if (typeof name !== 'string') return;
      for (const cm of this.configMapsNamed(name, w.namespace, w.resource)) {
        let u = out.get(cm);
        if (!u) out.set(cm, (u = { workload: w, container, all: false, keys: new Map() }));
        if (!key) u.all = true;
        else if (!u.keys.has(key.key)) u.keys.set(key.key, key.variable);
      }
    };
    for (const w of this.workloads) {
      if (w.platform !== 'kubernetes' || !w.podSpec) continue;
      for (const field of ['containers', 'initContainers']) {
        const list = w.podSpec[field];
        for (const c of Array.isArray(list) ? list : []) {
          if (!isObject(c)) continue;
          const name = typeof c.name === 'string' ? c.name : '';
          for (const f of Array.isArray(c.envFrom) ? c.envFrom : [])
            if (isObject(f) && isObject(f.configMapRef)) use(w, name, f.configMapRef.name);
          for (const e of Array.isArray(c.env) ? c.env : []) {
            const ref =
              isObject(e) && isObject(e.valueFrom) && isObject(e.valueFrom.configMapKeyRef)
                ? e.valueFrom.configMapKeyRef
                : undefined;
            if (ref && typeof ref.key === 'string' && typeof e.name === 'string')
              use(w, name, ref.name, { key: ref.key, variable: e.name });
          }
        }
      }
    }
    this.configMapEnv = out;
    return out;
  }

  /**
   * The entries of configMapsAsEnv() whose first reader is `w`, in the same order: a rule asking this for every
   * workload went through every ConfigMap each time (quadratic in the size of the input).
   */
  configMapsFirstReadBy(w: Workload): readonly [Resource, ConfigMapEnvUse][] {
    if (!this.configMapEnvByWorkload) {
      this.configMapEnvByWorkload = new Map();
      for (const [cm, use] of this.configMapsAsEnv()) push(this.configMapEnvByWorkload, use.workload, [cm, use]);
    }
    return this.configMapEnvByWorkload.get(w) ?? [];
  }

  /**
   * True when a skaffold.yaml of the input, in the directory of `near` or above it, builds this image name
   * (`build.artifacts[].image`): skaffold replaces the name with the image it built and tagged.
   */
  buildsImage(imageName: string, near: Resource): boolean {
    const dirs = (this.sharedArtifacts ?? this.buildArtifacts).get(imageName);
    if (!dirs) return false;
    const file = near.file.path;
    return dirs.some((d) => d === '.' || file.startsWith(`${d}/`));
  }

  /** Objects of API groups outside Kubernetes itself (operators' custom resources), in a compatible namespace. */
  customResourcesIn(namespace: string | undefined): Resource[] {
    return this.inNamespace(this.customResourcesByNamespace, namespace);
  }

  /**
   * The lists `inNamespace` concatenates, in the same order (for indexed lookups inside each). Without a namespace,
   * one flat list of every namespace's, built once: probing each namespace's list for every namespace-less object
   * made those lookups quadratic in the number of namespaces.
   */
  private namespaceLists<T>(map: Map<string, T[]>, ns: string | undefined): T[][] {
    if (ns === undefined) return [this.flat(map)];
    return [map.get(ns) ?? [], map.get('') ?? []];
  }

  private inNamespace<T>(map: Map<string, T[]>, ns: string | undefined): T[] {
    if (ns === undefined) return this.flat(map);
    return [...(map.get(ns) ?? []), ...(map.get('') ?? [])];
  }

  /** Every list of `map`, concatenated in map order; the maps are complete once the constructor has run. */
  private flat<T>(map: Map<string, T[]>): T[] {
    let all = this.flatLists.get(map as Map<string, unknown[]>) as T[] | undefined;
    if (!all) {
      all = [...map.values()].flat();
      this.flatLists.set(map as Map<string, unknown[]>, all);
    }
    return all;
  }
}

/** The images a Skaffold config builds, in its own build section and its profiles'. */
/** Image name → directories of the skaffold.yaml files that build it, over every resource of a run. */
export function skaffoldBuilds(resources: readonly Resource[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of resources)
    if (r.kind === 'Config' && (r.apiVersion ?? '').startsWith('skaffold/'))
      for (const image of skaffoldArtifacts(r.value)) push(out, image, path.posix.dirname(r.file.path));
  return out;
}

function skaffoldArtifacts(config: Record<string, unknown>): string[] {
  const builds = [
    config.build,
    ...(Array.isArray(config.profiles) ? config.profiles.map((p) => (isObject(p) ? p.build : undefined)) : []),
  ];
  const out: string[] = [];
  for (const b of builds) {
    if (!isObject(b) || !Array.isArray(b.artifacts)) continue;
    for (const a of b.artifacts) if (isObject(a) && typeof a.image === 'string') out.push(a.image);
  }
  return out;
}

function isKustomization(r: Resource): boolean {
  return (
    (r.kind === 'Kustomization' || r.kind === 'Component') &&
    (r.apiVersion ?? '').startsWith('kustomize.config.k8s.io/')
  );
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

/** Kinds that workloads refer to by name. */
const NAMED_KINDS: ReadonlySet<string> = new Set([
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Service',
  'PodDisruptionBudget',
]);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The workloads of an object, read once per run: an object is in the index of its unit and in the whole run's, and
 * each read anew was as many models again, one set of them garbage after every unit (100,000 resources: the most of
 * what the collector had to find while the rules ran). Workloads are read-only for the rules, as the objects are.
 */
const WORKLOADS = new WeakMap<Resource, Workload[]>();
function workloadsOnce(r: Resource): Workload[] {
  let ws = WORKLOADS.get(r);
  if (!ws) WORKLOADS.set(r, (ws = workloadsOf(r)));
  return ws;
}
