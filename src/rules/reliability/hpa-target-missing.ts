import { defineResourceRule } from '../../engine/rule.js';
import { closest } from '../../model/suggest.js';
import { isObject } from '../../model/json.js';

/** Kinds whose objects shipshape knows as workloads; a scaleTargetRef to any other kind (a custom resource) is not judged. */
const TARGET_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);

export default defineResourceRule({
  id: 'hpa-target-missing',
  kinds: ['HorizontalPodAutoscaler'],
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: 'A HorizontalPodAutoscaler targets a workload that is not in the input.',
    rationale:
      'An HPA whose scaleTargetRef names nothing scales nothing: the workload it was written for (renamed, or in another namespace) runs at its fixed replica count through every traffic peak, and the HPA only shows `FailedGetScale` events that nobody reads.',
    remediation:
      'Make scaleTargetRef kind, name (and the HPA namespace) match the workload. Only checked when the input has workloads in that namespace, so a directory with just the HPA stays quiet.',
    tags: ['autoscaling'],
  },
  check(r, ctx) {
    const spec = isObject(r.value.spec) ? r.value.spec : undefined;
    const ref = spec && isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
    if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string' || !TARGET_KINDS.has(ref.kind)) return;
    if (!ctx.index.hasWorkloadsIn(r.namespace)) return;
    if (ctx.index.workloadsNamed(ref.kind, ref.name, r.namespace).length) return;
    // Deployed by another unit of the repository (the HPA is an add-on applied on its own): not missing.
    if (ctx.index.run().workloadsNamed(ref.kind, ref.name, r.namespace).length) return;
    const { sameName, names } = ctx.index.workloadNames(TARGET_KINDS, ref.kind, ref.name);
    let hint = '';
    if (sameName && sameName.kind !== ref.kind)
      hint = ` There is a ${sameName.kind} "${sameName.name}": is the kind wrong?`;
    else if (sameName)
      hint = ` There is a ${sameName.kind} "${sameName.name}" in namespace "${sameName.namespace ?? ''}", but the HPA is in "${r.namespace ?? ''}".`;
    else {
      const near = closest(ref.name, names);
      if (near) hint = ` Did you mean "${near}"?`;
    }
    const where = r.namespace ? ` in namespace "${r.namespace}"` : '';
    ctx.report({
      path: ['spec', 'scaleTargetRef', 'name'],
      message: `HPA "${r.name ?? ''}" scales ${ref.kind} "${ref.name}", which is not in the input${where}: it scales nothing, and the workload it was meant for stays at its fixed replica count under load.${hint}`,
    });
  },
});
