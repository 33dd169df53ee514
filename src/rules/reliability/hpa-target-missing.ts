import { defineResourceRule } from '../../engine/rule.js';
import { closest } from '../../model/suggest.js';
import { hpaView } from '../../model/hpa.js';
import { REPLICATED_KINDS } from '../../model/kinds.js';

/** The kinds a scaleTargetRef is judged against; a custom resource is not judged. */
const TARGET_KINDS: ReadonlySet<string> = new Set(REPLICATED_KINDS);

export default defineResourceRule({
  id: 'hpa-target-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A HorizontalPodAutoscaler targets a workload that is not in the input.',
    rationale:
      'An HPA whose scaleTargetRef names nothing scales nothing: the workload it was written for (renamed, or in another namespace) runs at its fixed replica count through every traffic peak, and the HPA only shows `FailedGetScale` events that nobody reads.',
    remediation:
      'Make scaleTargetRef kind, name (and the HPA namespace) match the workload. Only checked when the input has workloads in that namespace, so a directory with just the HPA stays quiet.',
    tags: ['autoscaling'],
    messages: {
      missing: '{{subject}} scales {{kind}} {{name}}, which is not in the input',
      wrongKind: '{{subject}} scales {{kind}} {{name}}, which is not in the input; a {{otherKind}} is',
      otherNamespace: '{{subject}} scales {{kind}} {{name}}, which is in namespace {{namespace}}, not in its own',
      didYouMean: '{{subject}} scales {{kind}} {{name}}, which is not in the input (did you mean {{near}}?)',
    },
  },
  applies: {
    platforms: ['kubernetes'],
    kinds: ['HorizontalPodAutoscaler'],
  },
  check(r, ctx) {
    const ref = hpaView(r).target;
    if (!ref || !TARGET_KINDS.has(ref.kind)) return;
    if (!ctx.index.hasWorkloadsIn(r.namespace)) return;
    if (ctx.index.workloadsNamed(ref.kind, ref.name, r.namespace).length) return;
    // Deployed by another unit of the repository (the HPA is an add-on applied on its own): not missing.
    if (ctx.index.run().workloadsNamed(ref.kind, ref.name, r.namespace).length) return;
    const { sameName, names } = ctx.index.workloadNames(TARGET_KINDS, ref.kind, ref.name);
    const path = ['spec', 'scaleTargetRef', 'name'];
    const data = { kind: ref.kind, name: ref.name, namespace: r.namespace ?? '' };
    if (sameName && sameName.kind !== ref.kind)
      return ctx.report({ path, messageId: 'wrongKind', data: { ...data, otherKind: sameName.kind } });
    if (sameName)
      return ctx.report({ path, messageId: 'otherNamespace', data: { ...data, namespace: sameName.namespace ?? '' } });
    const near = closest(ref.name, names);
    ctx.report({ path, messageId: near ? 'didYouMean' : 'missing', data: near ? { ...data, near } : data });
  },
});
