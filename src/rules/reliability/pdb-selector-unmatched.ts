import { defineResourceRule } from '../../engine/rule.js';
import { isEmptySelector } from '../../model/selector.js';
import { operatorManaged, pdbSelector } from './lib/pdb-coverage.js';

export default defineResourceRule({
  id: 'pdb-selector-unmatched',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A PodDisruptionBudget selects no workload of the input.',
    rationale:
      'A PDB whose selector matches no pod protects nothing: the workload it was written for is drained all at once, while the PDB gives the team the impression that it is covered. It usually comes from a label renamed on one side only, or a PDB in the wrong namespace.',
    remediation:
      'Make spec.selector match the pod template labels of the workload (same namespace), or delete the PDB. Only checked when the input has workloads in that namespace, so a directory with just the PDB stays quiet.',
    tags: ['availability', 'disruption'],
    messages: {
      noMatch: '{{subject}} matches no workload: no pod has the labels {{labels}}',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['PodDisruptionBudget'] },
  check(r, ctx) {
    const selector = pdbSelector(r);
    if (!selector || isEmptySelector(selector)) return;
    if (!ctx.index.hasWorkloadsIn(r.namespace)) return;
    if (ctx.index.workloadsSelectedBy(selector, r.namespace).length) return;
    // Pods of another unit of the repository (a PDB applied on its own): it protects them.
    if (ctx.index.run().workloadsSelectedBy(selector, r.namespace).length) return;
    if (operatorManaged(selector, r.namespace, ctx.index)) return;
    const labels = [
      ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
      ...selector.matchExpressions.map(
        (e) => `${e.key} ${e.operator}${e.values.length ? ` (${e.values.join(',')})` : ''}`,
      ),
    ].join(', ');
    ctx.report({
      path: ['spec', 'selector'],
      messageId: 'noMatch',
      data: { labels, namespace: r.namespace ?? '' },
    });
  },
});
