import { isObject } from './json.js';
import type { Path, Resource } from './types.js';

/**
 * A HorizontalPodAutoscaler read once, defaults applied: `minReplicas` is 1 when absent (the API default). The one
 * view every rule uses; see ResourceIndex.hpaFor for which HPA counts when several target one workload.
 */
export interface HpaView {
  readonly resource: Resource;
  readonly name: string;
  readonly minReplicas: number;
  readonly minReplicasExplicit: boolean;
  readonly minReplicasPath: Path;
  readonly maxReplicas: number | undefined;
  readonly target: { readonly kind: string; readonly name: string } | undefined;
}

export function hpaView(resource: Resource): HpaView {
  const spec = isObject(resource.value.spec) ? resource.value.spec : {};
  const raw = spec.minReplicas;
  const ref = isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
  return {
    resource,
    name: resource.name ?? '',
    minReplicas: typeof raw === 'number' ? raw : 1,
    minReplicasExplicit: typeof raw === 'number',
    minReplicasPath: ['spec', 'minReplicas'],
    maxReplicas: typeof spec.maxReplicas === 'number' ? spec.maxReplicas : undefined,
    target:
      ref && typeof ref.kind === 'string' && typeof ref.name === 'string'
        ? { kind: ref.kind, name: ref.name }
        : undefined,
  };
}
