import { defineWorkloadRule } from '../../engine/rule.js';
import { pdbFix } from './lib/k8s-fixes.js';

export default defineWorkloadRule({
  id: 'pdb-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A replicated Deployment or StatefulSet has no PodDisruptionBudget.',
    rationale:
      'Without a PodDisruptionBudget, `kubectl drain`, node auto-upgrades and the cluster autoscaler may evict every replica at the same time: the replicas protect against crashes, but not against voluntary disruptions.',
    remediation:
      "Add a policy/v1 PodDisruptionBudget in the same namespace whose selector matches the pod template labels, usually with maxUnavailable: 1. `shipshape --fix` adds one with maxUnavailable: 1 and the workload's matchLabels after the workload (in a kustomize directory, a new file listed in resources).",
    tags: ['availability', 'disruption'],
    messages: {
      noBudget: '{{subject}} runs {{pods}} pods and no PodDisruptionBudget selects them',
      noBudgetHpa: '{{subject}} runs at least {{pods}} pods (HPA {{hpa}}), and no PodDisruptionBudget selects them',
      liveOnly: '{{subject}} is covered only by PodDisruptionBudget {{pdb}} of the live cluster {{context}}',
    },
  },
  applies: {
    platforms: ['kubernetes'],
    kinds: ['Deployment', 'StatefulSet', 'Rollout'],
    kindsNote:
      'ReplicaSet and ReplicationController are left out: written by hand they are legacy objects or examples, and the ReplicaSets of a Deployment are covered through it.',
  },
  kubernetes(w, ctx) {
    const hpa = ctx.index.hpaFor(w);
    const replicas = Math.max(w.replicas ?? 1, hpa?.minReplicas ?? 0);
    if (replicas < 2) return;
    const pdbs = ctx.index.pdbsMatching(w);
    const live = pdbs.filter((p) => p.cluster !== undefined);
    if (pdbs.length && live.length === pdbs.length && w.resource.cluster === undefined) {
      // Satisfied, but only by the live cluster (--cluster-context): say where, since Git alone would not recreate it.
      const p = live[0]!;
      ctx.report({
        path: [],
        severity: 'note',
        messageId: 'liveOnly',
        data: { pdb: `${p.namespace ? `${p.namespace}/` : ''}${p.name ?? ''}`, context: p.cluster ?? '' },
      });
      return;
    }
    if (pdbs.length) return;
    const labels =
      Object.entries(w.podLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || 'no pod labels';
    // Each namespace (each overlay) needs its own budget: findings of overlays in different namespaces stay apart.
    const namespace = w.namespace ?? '';
    const fix = pdbFix(w, ctx.index);
    const withFix = fix ? { fix } : {};
    if (hpa && hpa.minReplicas > (w.replicas ?? 1))
      ctx.report({
        path: [],
        messageId: 'noBudgetHpa',
        data: { pods: replicas, hpa: hpa.name, labels, namespace },
        ...withFix,
      });
    else ctx.report({ path: [], messageId: 'noBudget', data: { pods: replicas, labels, namespace }, ...withFix });
  },
});
