import type { ResourceIndex } from '../../engine/resource-index.js';
import { isObject } from '../../load/parse.js';
import { readSelector, selectorMatches, type Selector } from '../../model/selector.js';
import type { Resource, Workload } from '../../model/types.js';

export function pdbSelector(pdb: Resource): Selector | undefined {
  const spec = isObject(pdb.value.spec) ? pdb.value.spec : undefined;
  return spec ? readSelector(spec.selector) : undefined;
}

/** The pods a workload runs at least: its replicas, or the minReplicas of the HPA that scales it (undefined when unknown). */
export function floorReplicas(w: Workload, index: ResourceIndex): { pods: number; source: string } | undefined {
  const hpa = index.hpasFor(w)[0];
  if (hpa) {
    const spec = isObject(hpa.value.spec) ? hpa.value.spec : {};
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    return { pods: min, source: `${w.kind} "${w.name}" at its HPA's minReplicas` };
  }
  if (w.replicas === undefined) return undefined;
  return { pods: w.replicas, source: `${w.kind} "${w.name}"` };
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
    const labelSets = [cr.labels, ...podMeta.map((m) => (isObject(m) && isObject(m.labels) ? (m.labels as Record<string, string>) : undefined))];
    if (labelSets.some((l) => l && Object.keys(l).length && selectorMatches(selector, l))) return true;
  }
  return false;
}
