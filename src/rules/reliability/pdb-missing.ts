import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';

const KINDS = new Set(['Deployment', 'StatefulSet', 'Rollout']);

export default defineWorkloadRule({
  id: 'pdb-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: 'A replicated Deployment or StatefulSet has no PodDisruptionBudget.',
    rationale:
      'Without a PodDisruptionBudget, `kubectl drain`, node auto-upgrades and the cluster autoscaler may evict every replica at the same time: the replicas protect against crashes, but not against voluntary disruptions.',
    remediation:
      'Add a policy/v1 PodDisruptionBudget in the same namespace whose selector matches the pod template labels, usually with maxUnavailable: 1.',
    tags: ['availability', 'disruption'],
  },
  check(w, ctx) {
    if (w.platform !== 'kubernetes' || !KINDS.has(w.kind)) return;
    let replicas = w.replicas ?? 1;
    let source = 'replicas';
    for (const hpa of ctx.index.hpasFor(w)) {
      const spec = isObject(hpa.value.spec) ? hpa.value.spec : {};
      const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
      if (min > replicas) {
        replicas = min;
        source = `HPA "${hpa.name ?? ''}" minReplicas`;
      }
    }
    if (replicas < 2) return;
    const pdbs = ctx.index.pdbsMatching(w);
    const live = pdbs.filter((p) => p.cluster !== undefined);
    if (pdbs.length && live.length === pdbs.length && w.resource.cluster === undefined) {
      // Satisfied, but only by the live cluster (--cluster-context): say where, since Git alone would not recreate it.
      const p = live[0]!;
      ctx.report({
        path: [],
        severity: 'note',
        message: `${w.kind} "${w.name}" is covered by PodDisruptionBudget "${p.name ?? ''}", found in the live cluster (context "${p.cluster}", namespace "${p.namespace ?? ''}") and not in the repository: a cluster rebuilt from Git would not have it. Commit it next to the ${w.kind}.`,
      });
      return;
    }
    if (pdbs.length) return;
    const labels = Object.entries(w.podLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const where = w.namespace ? ` in namespace "${w.namespace}"` : '';
    ctx.report({
      path: [],
      message: `${w.kind} "${w.name}" runs ${replicas} pods (${source}) but no PodDisruptionBudget${where} selects its pods${labels ? ` (${labels})` : ''}: a node drain or cluster upgrade may evict all of them at once. Add a PodDisruptionBudget with maxUnavailable: 1 and this selector.`,
    });
  },
});
