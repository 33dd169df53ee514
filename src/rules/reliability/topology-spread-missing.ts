import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { composeNumber, composeString } from '../../model/compose-values.js';
import { readSelector, selectorMatches } from '../../model/selector.js';
import type { JsonObject, Workload } from '../../model/types.js';
import { floorReplicas } from './lib/pdb-coverage.js';

const KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);

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
function kubernetesSpread(w: Workload): { spreads: true } | { spreads: false; why?: string } {
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

/** Swarm: max_replicas_per_node, a spread preference, or a constraint that pins the service to one node on purpose. */
function swarmSpread(service: JsonObject): boolean {
  const deploy = isObject(service.deploy) ? service.deploy : {};
  const placement = isObject(deploy.placement) ? deploy.placement : {};
  const perNode = composeNumber(placement.max_replicas_per_node);
  if (perNode !== undefined && perNode > 0) return true;
  if (Array.isArray(placement.preferences) && placement.preferences.some((p) => isObject(p) && p.spread !== undefined))
    return true;
  const constraints = Array.isArray(placement.constraints) ? placement.constraints : [];
  return constraints.some((c) => /^\s*node\.(hostname|id)\s*==/.test(composeString(c) ?? ''));
}

function swarmCheck(w: Workload, report: (m: string) => void): void {
  if (!w.service || w.replicas === undefined || w.replicas < 2 || swarmSpread(w.service)) return;
  report(
    `service "${w.name}" runs ${w.replicas} replicas with neither deploy.placement.max_replicas_per_node nor a spread preference: Swarm spreads tasks when it places them, but after a node failure or drain they pile up on the remaining nodes and are never rebalanced, so one node can end up running all of them. Set placement.max_replicas_per_node (e.g. ${Math.ceil(w.replicas / 2)}) or a spread preference on a zone label.`,
  );
}

export default defineWorkloadRule({
  id: 'topology-spread-missing',
  meta: {
    severity: 'note',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description: 'A workload runs 2 or more replicas but nothing spreads them over nodes or zones.',
    rationale:
      'Replicas only protect against a node failure if they run on different nodes. The scheduler spreads them on a best-effort basis, but a busy cluster, a rollout or a node drain can put every replica on one node, and losing that node is a full outage in spite of the replica count.',
    remediation:
      'Kubernetes: add a topologySpreadConstraint on kubernetes.io/hostname (and topology.kubernetes.io/zone) with a labelSelector matching the pod labels, or a podAntiAffinity on the hostname. Only a constraint or term whose labelSelector matches the pod’s own labels (and whose namespaces, if listed, include its own) counts: one without a selector, or selecting other pods, spreads nothing. Swarm: set deploy.placement.max_replicas_per_node, or a placement preference `spread: node.labels.zone`.',
    tags: ['availability', 'scheduling'],
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      swarmCheck(w, (message) => ctx.report({ path: [...w.path, 'deploy', 'placement'], message }));
      return;
    }
    if (!KINDS.has(w.kind) || ctx.index.isKustomizePatch(w.resource)) return;
    const floor = floorReplicas(w, ctx.index);
    if (!floor || floor.pods < 2) return;
    const spread = kubernetesSpread(w);
    if (spread.spreads) return;
    const what = spread.why
      ? `but ${spread.why}, so it spreads nothing`
      : 'with neither topologySpreadConstraints nor podAntiAffinity on the hostname or zone';
    ctx.report({
      path: w.podSpecPath,
      message: `${w.kind} "${w.name}" runs ${floor.pods} replicas (${floor.hpa ? `HPA "${floor.hpa.name ?? ''}" minReplicas` : 'spec.replicas'}) ${what}: the scheduler may place all of them on one node, and losing that node is a full outage. Add a topologySpreadConstraint on kubernetes.io/hostname${spread.why ? ' whose labelSelector matches the pod labels' : ''}.`,
    });
  },
});
