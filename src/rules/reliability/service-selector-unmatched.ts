import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { isEmptySelector, readSelector } from '../../model/selector.js';
import { SYSTEM_NAMESPACES } from '../security/lib/system-namespaces.js';
import { operatorManaged } from './lib/pdb-coverage.js';

const RUNTIME_LABELS: ReadonlySet<string> = new Set([
  'job-name',
  'controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-hash',
  'controller-revision-hash',
]);

export default defineResourceRule({
  id: 'service-selector-unmatched',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A Service selects no pods of the workloads in its namespace: it has no endpoints.',
    rationale:
      'A Service whose selector matches no pod template has no endpoints: every request to it fails (connection refused, or 503 from the Ingress in front), although the Deployment is healthy and the rollout succeeded. It comes from a label renamed on one side only, a selector copied from another app, or a Service in the wrong namespace.',
    remediation:
      'Make spec.selector a subset of the pod template labels of the workload in the same namespace. Only checked when the unit has workloads in that namespace, so a directory with just the Service (pods deployed elsewhere, or created by an operator) stays quiet.',
    tags: ['availability', 'networking'],
    messages: {
      noEndpoints: '{{subject}} selects {{labels:60}}, but no pod template here has these labels: no endpoints',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['Service'] },
  check(r, ctx) {
    const spec = isObject(r.value.spec) ? r.value.spec : undefined;
    if (!spec || spec.type === 'ExternalName' || !isObject(spec.selector)) return;
    const selector = readSelector(spec.selector, true);
    if (!selector || isEmptySelector(selector)) return;
    if (r.namespace !== undefined && SYSTEM_NAMESPACES.includes(r.namespace)) return; // static control-plane pods
    // Labels the controllers add to pods at run time (job-name=…, statefulset.kubernetes.io/pod-name=…).
    if (Object.keys(selector.matchLabels).some((k) => RUNTIME_LABELS.has(k))) return;
    if (!ctx.index.hasWorkloadsIn(r.namespace, true)) return;
    // An operator's custom resource creates pods whose labels the input does not show.
    if (ctx.index.customResourcesIn(r.namespace).length) return;
    if (ctx.index.workloadsSelectedBy(selector, r.namespace).length) return;
    if (ctx.index.run().workloadsSelectedBy(selector, r.namespace).length) return;
    if (operatorManaged(selector, r.namespace, ctx.index)) return;
    const labels = Object.entries(selector.matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    ctx.report({
      path: ['spec', 'selector'],
      messageId: 'noEndpoints',
      data: { labels, namespace: r.namespace ?? '' },
    });
  },
});
