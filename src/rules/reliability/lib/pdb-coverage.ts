import type { ResourceIndex } from '../../../engine/resource-index.js';
import { isObject, stringMap } from '../../../model/json.js';
import type { HpaView } from '../../../model/hpa.js';
import { readSelector, selectorMatches, type Selector } from '../../../model/selector.js';
import type { Resource, Workload } from '../../../model/types.js';

export function pdbSelector(pdb: Resource): Selector | undefined {
  const spec = isObject(pdb.value.spec) ? pdb.value.spec : undefined;
  return spec ? readSelector(spec.selector) : undefined;
}

/** The pods a workload runs at least: the minReplicas of the HPA that scales it, else its replicas (undefined when unknown). */
export function floorReplicas(w: Workload, index: ResourceIndex): { pods: number; hpa?: HpaView } | undefined {
  const hpa = index.hpaFor(w);
  if (hpa) return { pods: hpa.minReplicas, hpa };
  return w.replicas === undefined ? undefined : { pods: w.replicas };
}

/**
 * True when the selector may pick pods that an operator creates from a custom resource in the input: the labels
 * of the custom resource (or of its pod metadata) match, or a selector key is in the operator's API group domain
 * (`cnpg.io/cluster` for `postgresql.cnpg.io`).
 */
export function operatorManaged(selector: Selector, namespace: string | undefined, index: ResourceIndex): boolean {
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((e) => e.key)];
  const domains = keys.map((k) => (k.includes('/') ? k.slice(0, k.indexOf('/')) : '')).filter(Boolean);
  for (const cr of index.customResourcesIn(namespace)) {
    const group = (cr.apiVersion ?? '').split('/')[0] ?? '';
    if (domains.some((d) => group === d || group.endsWith(`.${d}`))) return true;
    const spec = isObject(cr.value.spec) ? cr.value.spec : {};
    const podMeta = [spec.podMetadata, isObject(spec.template) ? spec.template.metadata : undefined];
    const labelSets = [cr.labels, ...podMeta.map((m) => stringMap(isObject(m) ? m.labels : undefined))];
    if (labelSets.some((l) => Object.keys(l).length > 0 && selectorMatches(selector, l))) return true;
  }
  return false;
}
