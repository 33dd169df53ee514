import { defineWorkloadRule } from '../../engine/rule.js';
import { REPLICATED_KINDS } from '../../model/kinds.js';
import { floorReplicas } from './lib/pdb-coverage.js';
import { topologySpreadFix } from './lib/k8s-fixes.js';
import { kubernetesSpread } from './lib/kubernetes-spread.js';
import { swarmSpread } from './lib/swarm-spread.js';

export default defineWorkloadRule({
  id: 'topology-spread-missing',
  meta: {
    severity: 'note',
    family: 'reliability',
    description: 'A workload runs 2 or more replicas but nothing spreads them over nodes or zones.',
    rationale:
      'Replicas only protect against a node failure if they run on different nodes. The scheduler spreads them on a best-effort basis, but a busy cluster, a rollout or a node drain can put every replica on one node, and losing that node is a full outage in spite of the replica count.',
    remediation:
      "Kubernetes: add a topologySpreadConstraint on kubernetes.io/hostname (and topology.kubernetes.io/zone) with a labelSelector matching the pod labels, or a podAntiAffinity on the hostname. Only a constraint or term whose labelSelector matches the pod’s own labels (and whose namespaces, if listed, include its own) counts: one without a selector, or selecting other pods, spreads nothing. Swarm: set deploy.placement.max_replicas_per_node, or a placement preference `spread: node.labels.zone`. `shipshape --fix` adds (Kubernetes) a ScheduleAnyway constraint on kubernetes.io/hostname with the workload's selector.",
    tags: ['availability', 'scheduling'],
    messages: {
      noSpread: '{{subject}} runs {{pods}} replicas and nothing spreads them over nodes or zones',
      noSpreadHpa: '{{subject}} runs at least {{pods}} replicas (HPA {{hpa}}) and nothing spreads them over nodes',
      spreadsNothing: '{{subject}} runs {{pods}} replicas, but {{why}}, so it spreads nothing',
      noServiceSpread: '{{subject}} runs {{pods}} replicas with no max_replicas_per_node or spread preference',
    },
  },
  applies: {
    platforms: ['kubernetes', 'swarm'],
    kinds: REPLICATED_KINDS,
    kindsNote: 'DaemonSet already runs one pod per node; Job, CronJob and a bare Pod have no replicas to spread.',
    skip: ['kustomize-patch'],
  },
  kubernetes(w, ctx) {
    const floor = floorReplicas(w, ctx.index);
    if (!floor || floor.pods < 2) return;
    const spread = kubernetesSpread(w);
    if (spread.spreads) return;
    const path = w.podSpecPath;
    // The HPA, when there is one, sets the floor; the message names it and the other facts keep units apart.
    const data = { pods: floor.pods, hpa: floor.hpa?.name ?? '' };
    const fix = topologySpreadFix(w);
    const withFix = fix ? { fix } : {};
    if (spread.why) ctx.report({ path, messageId: 'spreadsNothing', data: { ...data, why: spread.why }, ...withFix });
    else ctx.report({ path, messageId: floor.hpa ? 'noSpreadHpa' : 'noSpread', data, ...withFix });
  },
  // Swarm spreads tasks when it places them, but after a node failure or drain they pile up and are never rebalanced.
  swarm(s, ctx) {
    if (s.replicas === undefined || s.replicas < 2 || swarmSpread(s.service)) return;
    ctx.report({ path: [...s.path, 'deploy', 'placement'], messageId: 'noServiceSpread', data: { pods: s.replicas } });
  },
});
