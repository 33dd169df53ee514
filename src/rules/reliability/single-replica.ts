import { defineWorkloadRule } from '../../engine/rule.js';

const KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);

export default defineWorkloadRule({
  id: 'single-replica',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description: 'A long-running workload runs a single replica and nothing scales it.',
    rationale:
      'One replica means every crash, eviction and node drain is downtime. Kubernetes self-healing replaces the pod, but users wait for the new one to be scheduled, pulled, started and ready.',
    remediation:
      'Run at least 2 replicas (spec.replicas, or an HPA with minReplicas ≥ 2; Swarm: deploy.replicas), spread over nodes, with a PodDisruptionBudget.',
    tags: ['availability'],
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      // Only replicated mode has replicas (global and jobs are undefined); 0 is a deliberate scale-down.
      // A fragment of a multi-file deploy without replicas leaves them to the base file.
      if (w.composeOnly || !w.longRunning || w.replicas !== 1 || (w.partial && !w.replicasExplicit)) return;
      const what = w.replicasExplicit ? 'deploy.replicas is 1' : 'deploy.replicas is not set, so it defaults to 1';
      ctx.report({
        path: w.replicasPath,
        message: `service "${w.name}": ${what}: a crash, a node failure or drain, or an update of that one task is an outage while Swarm starts another one. Run at least 2 replicas (deploy.replicas: 2), spread over nodes.`,
      });
      return;
    }
    if (w.platform !== 'kubernetes' || !KINDS.has(w.kind)) return;
    if (w.replicas !== 1) return; // 0 is a deliberate scale-down
    if (!w.replicasExplicit && ctx.index.isKustomizePatch(w.resource)) return; // the base sets what the patch leaves out
    if (ctx.index.hpasFor(w).length) return;
    const what = w.replicasExplicit ? 'replicas is 1' : 'replicas is not set, so it defaults to 1';
    ctx.report({
      path: w.replicasPath,
      message: `${w.kind} "${w.name}": ${what} and no HorizontalPodAutoscaler targets it: a crash, eviction or node drain of that one pod is an outage. Run at least 2 replicas.`,
    });
  },
});
