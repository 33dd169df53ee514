import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { readSelector, selectorMatches } from '../../model/selector.js';

export default defineWorkloadRule({
  id: 'topology-spread-unsatisfiable',
  meta: {
    severity: 'note',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: "A DoNotSchedule topology spread constraint's labelSelector does not match the pod's own labels.",
    rationale:
      'The scheduler counts the pods that match the labelSelector in each domain. When the selector does not match the pods of this workload, the skew is computed over other pods (or none): the constraint gives no spread at all to this workload, and with DoNotSchedule it can still refuse to place its pods because of pods it was never meant to count.',
    remediation:
      'Use the pod template labels in the constraint labelSelector (for example the same matchLabels as spec.selector), or matchLabelKeys: [pod-template-hash] with a selector on the app label.',
    tags: ['availability', 'scheduling'],
  },
  check(w, ctx) {
    if (w.platform !== 'kubernetes' || !w.podSpec || ctx.index.isKustomizePatch(w.resource)) return;
    const tsc = w.podSpec.topologySpreadConstraints;
    if (!Array.isArray(tsc)) return;
    tsc.forEach((t, i) => {
      if (!isObject(t) || t.whenUnsatisfiable !== 'DoNotSchedule') return;
      const path = [...w.podSpecPath, 'topologySpreadConstraints', i];
      const key = typeof t.topologyKey === 'string' ? t.topologyKey : '?';
      const selector = readSelector(t.labelSelector);
      if (!selector) {
        ctx.report({
          path,
          message: `topology spread constraint on ${key} of ${w.kind} "${w.name}" has no labelSelector: it counts no pods, so it spreads nothing. Add a labelSelector that matches the pod labels.`,
        });
        return;
      }
      if (selectorMatches(selector, w.podLabels)) return;
      const labels = Object.entries(w.podLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      ctx.report({
        path: [...path, 'labelSelector'],
        message: `topology spread constraint on ${key} of ${w.kind} "${w.name}" (DoNotSchedule) has a labelSelector that does not match the pod's own labels (${labels || 'none'}): the skew is counted over other pods, so it does not spread this workload, and it can still block scheduling. Use the pod labels in the labelSelector.`,
      });
    });
  },
});
