import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';

export interface HpaMinReplicasOptions {
  minReplicas: number;
}

export default defineResourceRule<HpaMinReplicasOptions>({
  id: 'hpa-min-replicas',
  kinds: ['HorizontalPodAutoscaler'],
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: 'A HorizontalPodAutoscaler lets the workload scale down to a single pod.',
    rationale:
      'With minReplicas 1 (the default when absent), the quiet hours run on one pod: its crash, eviction or node drain is an outage. The HPA only counts ready pods, so it cannot scale out of the hole while the only pod is down.',
    remediation: 'Set spec.minReplicas to 2 or more, and add a PodDisruptionBudget.',
    tags: ['availability', 'autoscaling'],
  },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { minReplicas: { type: 'integer', minimum: 1, description: 'The lowest acceptable minReplicas.' } },
    },
    defaults: { minReplicas: 2 },
  },
  check(r, ctx) {
    const spec = isObject(r.value.spec) ? r.value.spec : undefined;
    if (!spec) return;
    const raw = spec.minReplicas;
    const min = typeof raw === 'number' ? raw : 1;
    if (min >= ctx.options.minReplicas) return;
    const target = isObject(spec.scaleTargetRef)
      ? ` of ${String(spec.scaleTargetRef.kind)} "${String(spec.scaleTargetRef.name)}"`
      : '';
    const was = typeof raw === 'number' ? `minReplicas is ${min}` : 'minReplicas is not set, so it defaults to 1';
    ctx.report({
      path: ['spec', 'minReplicas'],
      message: `HPA "${r.name ?? ''}"${target}: ${was}. With ${min === 1 ? 'one pod' : `${min} pods`}, a crash, eviction or node drain of that pod takes the service down, and the HPA only counts ready pods. Set minReplicas to at least ${ctx.options.minReplicas}.`,
    });
  },
});
