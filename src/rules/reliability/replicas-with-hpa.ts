import { defineWorkloadRule } from '../../engine/rule.js';
import { REPLICATED_KINDS } from '../../model/kinds.js';

export default defineWorkloadRule({
  id: 'replicas-with-hpa',
  meta: {
    severity: 'note',
    family: 'reliability',
    description: 'A workload sets spec.replicas and is also scaled by a HorizontalPodAutoscaler.',
    rationale:
      'The HPA owns the replica count. With spec.replicas in Git, every `kubectl apply` or GitOps sync writes the committed number back: a workload the HPA had scaled to 12 for a traffic peak drops to 2 on the next sync (and Argo CD or Flux show it as permanently out of sync), until the HPA scales it up again minutes later.',
    remediation:
      'Remove spec.replicas from the manifest (`shipshape --fix` does) and let the HPA minReplicas decide; or, if it must stay, tell the GitOps tool to ignore the field (Argo CD ignoreDifferences on /spec/replicas).',
    tags: ['autoscaling', 'gitops'],
    messages: {
      replicasSet: '{{subject}} sets replicas: {{replicas}}, but HPA {{hpa}} scales it ({{min}}–{{max}})',
    },
  },
  applies: {
    platforms: ['kubernetes'],
    kinds: REPLICATED_KINDS,
    kindsNote:
      'The kinds an HPA can scale among those shipshape reads; DaemonSet, Job, CronJob and Pod have no replicas.',
  },
  kubernetes(w, ctx) {
    // A live object always has spec.replicas (the API server fills it in, and the HPA writes it): nothing to say there.
    if (!w.replicasExplicit || w.resource.cluster !== undefined) return;
    const hpa = ctx.index.hpaFor(w);
    if (!hpa) return;
    ctx.report({
      path: w.replicasPath,
      messageId: 'replicasSet',
      data: {
        replicas: String(w.replicas ?? '?'),
        hpa: hpa.name,
        min: hpa.minReplicas,
        max: hpa.maxReplicas ?? '?',
      },
      fix: [{ op: 'delete', path: w.replicasPath }],
    });
  },
});
