import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { readSelector, selectorMatches } from '../../model/selector.js';

export default defineWorkloadRule({
  id: 'topology-spread-unsatisfiable',
  meta: {
    severity: 'note',
    family: 'reliability',
    description: "A DoNotSchedule topology spread constraint's labelSelector does not match the pod's own labels.",
    rationale:
      'The scheduler counts the pods that match the labelSelector in each domain. When the selector does not match the pods of this workload, the skew is computed over other pods (or none): the constraint gives no spread at all to this workload, and with DoNotSchedule it can still refuse to place its pods because of pods it was never meant to count.',
    remediation:
      'Use the pod template labels in the constraint labelSelector (for example the same matchLabels as spec.selector), or matchLabelKeys: [pod-template-hash] with a selector on the app label.',
    tags: ['availability', 'scheduling'],
    messages: {
      noSelector: '{{subject}}: topology spread on {{key}} has no labelSelector, so it spreads nothing',
      selectorMismatch: '{{subject}}: topology spread on {{key}} selects other pods than its own ({{labels}})',
    },
  },
  applies: { platforms: ['kubernetes'], skip: ['kustomize-patch'] },
  kubernetes(w, ctx) {
    const tsc = w.podSpec?.topologySpreadConstraints;
    if (!Array.isArray(tsc)) return;
    tsc.forEach((t, i) => {
      if (!isObject(t) || t.whenUnsatisfiable !== 'DoNotSchedule') return;
      const path = [...w.podSpecPath, 'topologySpreadConstraints', i];
      const key = typeof t.topologyKey === 'string' ? t.topologyKey : '?';
      const selector = readSelector(t.labelSelector);
      if (!selector) return ctx.report({ path, messageId: 'noSelector', data: { key } });
      if (selectorMatches(selector, w.podLabels)) return;
      const labels = Object.entries(w.podLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      ctx.report({
        path: [...path, 'labelSelector'],
        messageId: 'selectorMismatch',
        data: { key, labels: labels || 'none' },
      });
    });
  },
});
