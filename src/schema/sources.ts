import type { Resource } from '../model/types.js';
import { indexCrds } from './crd.js';
import { removalOf } from './deprecations.js';
import type { Ajv, ValidateFunction } from 'ajv';
import type { KubeBundle } from './kubernetes.js';
import type { KustomizeRole } from './kustomize.js';

/** What the schema rules validate against, for one run. */
export interface SchemaSources {
  /** The Kubernetes version asked for (`--kube-version`, `kubeVersion:`), as `1.31`. */
  kubeVersion: string;
  /** The bundled schemas used for it (the same minor, or the closest bundled one). */
  kubernetes?: KubeBundle;
  /** The Compose Specification schema, compiled at build time (schemas/compose-spec.validate.js). */
  compose?: ValidateFunction;
  /** A new ajv instance with AJV_OPTIONS, when the input has CRDs (ajv is loaded only then). */
  createAjv?: () => Ajv;
  /** Files that kustomizations of the input use as patches or label (absolute path → role). */
  kustomize?: ReadonlyMap<string, KustomizeRole>;
}

/** API groups whose objects are files for a tool, never sent to a cluster. */
const NOT_CLUSTER_OBJECTS = /^(kustomize\.config\.k8s\.io|config\.kubernetes\.io|kpt\.dev|skaffold\/|kind\.x-k8s\.io)/;

export interface SchemaCoverage {
  /** Objects validated against a bundled or CRD schema. */
  validated: number;
  /** `apiVersion kind` → number of objects with no schema anywhere (not validated). */
  skipped: Map<string, number>;
}

/** Which Kubernetes objects have a schema (bundled, or a CRD in the input) and which are skipped. */
export function schemaCoverage(resources: readonly Resource[], sources: SchemaSources): SchemaCoverage {
  const crds = indexCrds(resources);
  const coverage: SchemaCoverage = { validated: 0, skipped: new Map() };
  for (const r of resources) {
    const kind = hasSchema(r, sources, crds);
    if (kind === 'yes') coverage.validated++;
    else if (kind === 'no') {
      const key = `${r.apiVersion ?? ''} ${r.kind}`;
      coverage.skipped.set(key, (coverage.skipped.get(key) ?? 0) + 1);
    }
  }
  return coverage;
}

/** `yes`: validated; `no`: no schema anywhere; `n/a`: not a cluster object, or an API version that is removed. */
export function hasSchema(
  r: Resource,
  sources: SchemaSources,
  crds: ReadonlyMap<string, unknown>,
): 'yes' | 'no' | 'n/a' {
  if (r.platform !== 'kubernetes' || !r.apiVersion) return 'n/a';
  if (NOT_CLUSTER_OBJECTS.test(r.apiVersion)) return 'n/a';
  if (sources.kubernetes?.kinds[`${r.apiVersion}/${r.kind}`]) return 'yes';
  if (crds.has(`${r.apiVersion}/${r.kind}`)) return 'yes';
  if (removalOf(r.apiVersion, r.kind, sources.kubeVersion)?.removed) return 'n/a';
  return 'no';
}
