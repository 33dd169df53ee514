import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { hpaView } from '../../model/hpa.js';

export interface HpaMinReplicasOptions {
  minReplicas: number;
}

export default defineResourceRule<HpaMinReplicasOptions>({
  id: 'hpa-min-replicas',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A HorizontalPodAutoscaler lets the workload scale down to a single pod.',
    rationale:
      'With minReplicas 1 (the default when absent), the quiet hours run on one pod: its crash, eviction or node drain is an outage. The HPA only counts ready pods, so it cannot scale out of the hole while the only pod is down.',
    remediation:
      'Set spec.minReplicas to 2 or more (`shipshape --fix` sets it to the configured minimum), and add a PodDisruptionBudget.',
    tags: ['availability', 'autoscaling'],
    messages: {
      tooLow: '{{subject}} has minReplicas: {{min}}, under {{wanted}}',
      defaultOne: '{{subject}} has no minReplicas, so 1, under {{wanted}}',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['HorizontalPodAutoscaler'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { minReplicas: { type: 'integer', minimum: 1, description: 'The lowest acceptable minReplicas.' } },
    },
    defaults: { minReplicas: 2 },
  },
  check(r, ctx) {
    if (!isObject(r.value.spec)) return;
    const hpa = hpaView(r);
    if (hpa.minReplicas >= ctx.options.minReplicas) return;
    ctx.report({
      path: hpa.minReplicasPath,
      messageId: hpa.minReplicasExplicit ? 'tooLow' : 'defaultOne',
      data: { min: hpa.minReplicas, wanted: ctx.options.minReplicas },
      fix: [{ op: 'set', path: ['spec', 'minReplicas'], value: ctx.options.minReplicas }],
    });
  },
});
