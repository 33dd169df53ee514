import { isObject } from '../../../model/json.js';
import { readSelector, selectorMatches } from '../../../model/selector.js';
import type { JsonObject, Workload } from '../../../model/types.js';

/** Topology keys that put replicas on different machines: the node, or a wider failure domain. */
const SPREAD_KEYS = [
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
];

function spreadsOverNodes(key: unknown): boolean {
  return typeof key === 'string' && (SPREAD_KEYS.includes(key) || /(hostname|zone|region|rack|node)$/i.test(key));
}

/**
 * Whether a pod-affinity-style term counts the workload's own pods: a labelSelector that matches its pod labels (no
 * selector matches no pod), and `namespaces` that include its namespace when both are known.
 */
function selectsOwnPods(term: JsonObject, w: Workload): string | undefined {
  const selector = readSelector(term.labelSelector);
  if (!selector) return 'has no labelSelector, so it counts no pods';
  if (!selectorMatches(selector, w.podLabels)) return "has a labelSelector that does not match the pod's own labels";
  const namespaces = Array.isArray(term.namespaces)
    ? term.namespaces.filter((n): n is string => typeof n === 'string')
    : [];
  if (
    namespaces.length &&
    term.namespaceSelector === undefined &&
    w.namespace !== undefined &&
    !namespaces.includes(w.namespace)
  )
    return `lists namespaces that exclude its own (${w.namespace})`;
  return undefined;
}

/** 'spreads', or why the constraints that are there spread nothing (undefined when there are none on node keys). */
export function kubernetesSpread(w: Workload): { spreads: true } | { spreads: false; why?: string } {
  const podSpec = w.podSpec;
  if (!podSpec) return { spreads: false };
  let why: string | undefined;
  const tsc = Array.isArray(podSpec.topologySpreadConstraints) ? podSpec.topologySpreadConstraints : [];
  for (const t of tsc) {
    if (!isObject(t) || !spreadsOverNodes(t.topologyKey)) continue;
    const bad = selectsOwnPods(t, w);
    if (!bad) return { spreads: true };
    why ??= `its topologySpreadConstraint on ${String(t.topologyKey)} ${bad}`;
  }
  const anti =
    isObject(podSpec.affinity) && isObject(podSpec.affinity.podAntiAffinity)
      ? podSpec.affinity.podAntiAffinity
      : undefined;
  const terms = anti
    ? [
        ...(Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution)
          ? anti.requiredDuringSchedulingIgnoredDuringExecution
          : []),
        ...(Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution)
          ? anti.preferredDuringSchedulingIgnoredDuringExecution.map((p) =>
              isObject(p) ? p.podAffinityTerm : undefined,
            )
          : []),
      ]
    : [];
  for (const t of terms) {
    if (!isObject(t) || !spreadsOverNodes(t.topologyKey)) continue;
    const bad = selectsOwnPods(t, w);
    if (!bad) return { spreads: true };
    why ??= `its podAntiAffinity term on ${String(t.topologyKey)} ${bad}`;
  }
  return why ? { spreads: false, why } : { spreads: false };
}
