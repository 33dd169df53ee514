import { defineWorkloadRule } from '../../engine/rule.js';
import { REPLICATED_KINDS } from '../../model/kinds.js';
import { kubernetesReplicasFix } from './lib/k8s-fixes.js';
import { swarmReplicasFix } from './lib/swarm-replicas-fix.js';

export default defineWorkloadRule({
  id: 'single-replica',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A long-running workload runs a single replica and nothing scales it.',
    rationale:
      'One replica means every crash, eviction and node drain is downtime. Kubernetes self-healing replaces the pod, but users wait for the new one to be scheduled, pulled, started and ready.',
    remediation:
      'Run at least 2 replicas (spec.replicas, or an HPA with minReplicas ≥ 2; Swarm: deploy.replicas), spread over nodes, with a PodDisruptionBudget. `shipshape --fix` sets 2 where a second replica is safe (no claim, host volume or port, not a database or singleton: docs/fix.md), with the spread and PodDisruptionBudget it then needs.',
    tags: ['availability'],
    messages: {
      oneReplica: '{{subject}} runs 1 replica (replicas: 1) and no HPA scales it',
      defaultOneReplica: '{{subject}} runs 1 replica (replicas not set) and no HPA scales it',
      oneTask: '{{subject}} runs 1 task (deploy.replicas: 1)',
      defaultOneTask: '{{subject}} runs 1 task (deploy.replicas not set)',
    },
  },
  applies: {
    platforms: ['kubernetes', 'swarm'],
    kinds: REPLICATED_KINDS,
    kindsNote: 'DaemonSet (one pod per node), Job and CronJob (run to completion) and a bare Pod have no replicas.',
    skip: ['compose-only'],
  },
  kubernetes(w, ctx) {
    if (w.replicas !== 1) return; // 0 is a deliberate scale-down
    if (!w.replicasExplicit && ctx.index.isKustomizePatch(w.resource)) return; // the base sets what the patch leaves out
    if (ctx.index.hpaFor(w)) return;
    const fix = kubernetesReplicasFix(w, ctx.index);
    ctx.report({
      path: w.replicasPath,
      messageId: w.replicasExplicit ? 'oneReplica' : 'defaultOneReplica',
      ...(fix ? { fix } : {}),
    });
  },
  swarm(s, ctx) {
    // Only replicated mode has replicas (global and jobs are undefined); 0 is a deliberate scale-down.
    // A fragment of a multi-file deploy without replicas leaves them to the base file.
    if (!s.longRunning || s.replicas !== 1 || (s.partial && !s.replicasExplicit)) return;
    const fix = swarmReplicasFix(s);
    ctx.report({
      path: s.replicasPath,
      messageId: s.replicasExplicit ? 'oneTask' : 'defaultOneTask',
      ...(fix ? { fix } : {}),
    });
  },
});
