import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';

const KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout']);

export default defineWorkloadRule({
  id: 'replicas-with-hpa',
  meta: {
    severity: 'note',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: 'A workload sets spec.replicas and is also scaled by a HorizontalPodAutoscaler.',
    rationale:
      'The HPA owns the replica count. With spec.replicas in Git, every `kubectl apply` or GitOps sync writes the committed number back: a workload the HPA had scaled to 12 for a traffic peak drops to 2 on the next sync (and Argo CD or Flux show it as permanently out of sync), until the HPA scales it up again minutes later.',
    remediation:
      'Remove spec.replicas from the manifest and let the HPA minReplicas decide; or, if it must stay, tell the GitOps tool to ignore the field (Argo CD ignoreDifferences on /spec/replicas).',
    tags: ['autoscaling', 'gitops'],
  },
  check(w, ctx) {
    // A live object always has spec.replicas (the API server fills it in, and the HPA writes it): nothing to say there.
    if (w.platform !== 'kubernetes' || !KINDS.has(w.kind) || !w.replicasExplicit || w.resource.cluster !== undefined)
      return;
    const hpa = ctx.index.hpasFor(w)[0];
    if (!hpa) return;
    const spec = isObject(hpa.value.spec) ? hpa.value.spec : {};
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : undefined;
    ctx.report({
      path: w.replicasPath,
      message: `${w.kind} "${w.name}" sets replicas: ${String(w.replicas ?? '?')} and HPA "${hpa.name ?? ''}" scales it (${min}–${max ?? '?'}): every GitOps sync or kubectl apply resets the HPA's decision to ${String(w.replicas ?? '?')} pods. Remove spec.replicas and let the HPA decide.`,
    });
  },
});
