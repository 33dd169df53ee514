import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { hpaView } from '../../model/hpa.js';
import type { Container, JsonObject, Path } from '../../model/types.js';
import { kubernetesOnly } from '../../model/workloads-of.js';

interface UtilizationMetric {
  resource: string;
  /** Only this container counts (ContainerResource metrics); every container otherwise. */
  container?: string;
  target: string;
  path: Path;
}

/** The CPU/memory utilization metrics of an HPA, in every API version (v1's implicit 80% CPU default included). */
function utilizationMetrics(spec: JsonObject): UtilizationMetric[] {
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    const t = spec.targetCPUUtilizationPercentage; // autoscaling/v1
    if (typeof t === 'number')
      return [{ resource: 'cpu', target: `${t}%`, path: ['spec', 'targetCPUUtilizationPercentage'] }];
    return [{ resource: 'cpu', target: '80% by default', path: ['spec', 'metrics'] }];
  }
  const out: UtilizationMetric[] = [];
  spec.metrics.forEach((m, i) => {
    if (!isObject(m)) return;
    const body = m.type === 'Resource' ? m.resource : m.type === 'ContainerResource' ? m.containerResource : undefined;
    if (!isObject(body) || typeof body.name !== 'string') return;
    let target: string | undefined;
    const t = isObject(body.target) ? body.target : undefined;
    if (t && t.type === 'Utilization') target = `${String(t.averageUtilization ?? '?')}%`;
    else if (typeof body.targetAverageUtilization === 'number') target = `${body.targetAverageUtilization}%`; // v2beta1
    if (!target) return;
    out.push({
      resource: body.name,
      target,
      path: ['spec', 'metrics', i],
      ...(typeof body.container === 'string' ? { container: body.container } : {}),
    });
  });
  return out;
}

function hasRequest(c: Container, resource: string, defaults: ReadonlySet<string>): boolean {
  const res = c.resources ?? {};
  // A limit without a request makes Kubernetes set the request to the limit.
  return (
    [res.requests, res.limits].some((m) => isObject(m) && m[resource] !== undefined && m[resource] !== null) ||
    defaults.has(resource)
  );
}

export default defineResourceRule({
  id: 'hpa-without-requests',
  meta: {
    severity: 'error',
    family: 'reliability',
    description:
      'An HPA scales on CPU or memory utilization, but a container of its target has no request for that resource.',
    rationale:
      'Utilization is usage divided by the request. When a container of the pod has no request for the resource, the HPA cannot compute it ("missing request for cpu"), reports FailedGetResourceMetric and never scales: the autoscaling everyone counts on for the next traffic peak does not exist.',
    remediation:
      'Set resources.requests for that resource on every container of the pod (sidecars included), or scale on an AverageValue target instead of Utilization.',
    tags: ['autoscaling', 'resources'],
    messages: {
      noRequest:
        '{{subject}} scales {{target}} on {{resource}} use ({{goal}}), but {{containers}} has no {{resource}} request',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['HorizontalPodAutoscaler'] },
  check(r, ctx) {
    const spec = isObject(r.value.spec) ? r.value.spec : undefined;
    const ref = hpaView(r).target;
    if (!spec || !ref) return;
    const targets = kubernetesOnly(ctx.index.workloadsNamed(ref.kind, ref.name, r.namespace, r)).filter(
      (w) => !ctx.index.isKustomizePatch(w.resource),
    );
    if (!targets.length) return;
    for (const m of utilizationMetrics(spec)) {
      for (const w of targets) {
        const defaults = ctx.index.limitRangeDefaults(w.namespace).requests;
        const missing = w.containers.filter(
          (c) =>
            !c.init && (m.container === undefined || c.name === m.container) && !hasRequest(c, m.resource, defaults),
        );
        if (!missing.length) continue;
        ctx.report({
          path: m.path,
          messageId: 'noRequest',
          data: {
            target: `${w.kind} ${w.name}`,
            resource: m.resource,
            goal: m.target,
            containers: `container${missing.length > 1 ? 's' : ''} ${missing.map((c) => c.name).join(', ')}`,
          },
        });
      }
    }
  },
});
