import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import type { Container, Resource } from '../../model/types.js';

/** The ports a Service sends traffic to: each `targetPort`, or its `port` when absent (Kubernetes' default). */
function targetPorts(service: Resource): (string | number)[] {
  const spec = isObject(service.value.spec) ? service.value.spec : {};
  const out: (string | number)[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isObject(p)) continue;
    const t = p.targetPort ?? p.port;
    if (typeof t === 'number' || typeof t === 'string')
      out.push(typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : t);
  }
  return out;
}

const METRICS_WORDS = new Set([
  'metrics',
  'metric',
  'prometheus',
  'prom',
  'monitoring',
  'telemetry',
  'exporter',
  'scrape',
]);

function metricsWord(name: unknown): boolean {
  return (
    typeof name === 'string' &&
    name
      .toLowerCase()
      .split(/[-_.]+/)
      .some((w) => METRICS_WORDS.has(w))
  );
}

/**
 * A Service whose every port is a metrics port (by its name or its named targetPort; an unnamed port when the Service
 * itself is named for metrics): Prometheus scrapes pods whether they are ready or not, so it is not traffic.
 */
export function metricsOnly(service: Resource): boolean {
  const spec = isObject(service.value.spec) ? service.value.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  // The Service's name counts by its last word only (`notifier-metrics`, not `custom-metrics-adapter`).
  const named = metricsWord((service.name ?? '').split(/[-_.]+/).pop());
  return (
    ports.length > 0 &&
    ports.every((p) => metricsWord(p.name) || metricsWord(p.targetPort) || (named && p.name === undefined))
  );
}

function declares(c: Container, port: string | number): boolean {
  return c.ports.some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

function portList(c: Container): string {
  return c.ports
    .map((p) => (p.name ? `${p.name}/${p.containerPort ?? '?'}` : String(p.containerPort ?? '?')))
    .join(', ');
}

export default defineWorkloadRule({
  id: 'readiness-probe-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A long-running container that serves traffic has no readiness probe.',
    rationale:
      'Without a readiness probe a pod is ready as soon as its containers have started. During a rollout the Service sends requests to pods that are still booting, and when a dependency goes down it keeps sending them to pods that can only answer with errors: the users see every failure that readiness would have hidden.',
    remediation:
      'Add a readinessProbe to the container that serves the traffic (an HTTP endpoint that checks what the pod needs to answer a request), with a short periodSeconds (5–10s). Swarm has no readiness: the service healthcheck also gates traffic there (see healthcheck-missing). A Service counts as traffic unless it publishes not-ready addresses or all its ports are metrics ports (named metrics, prometheus, monitoring…, or unnamed in a Service whose name ends in metrics, prometheus, monitoring…).',
    tags: ['probes', 'self-healing', 'availability'],
    messages: {
      servedByService: '{{subject}} has no readinessProbe, and Service {{service}} sends it traffic',
      declaresPorts: '{{subject}} has no readinessProbe, and it serves ports {{ports}}',
    },
  },
  applies: { platforms: ['kubernetes'], skip: ['kustomize-patch'] },
  kubernetes(w, ctx) {
    if (!w.longRunning) return;
    const containers = w.containers.filter((c) => !c.init);
    // A Service that publishes not-ready addresses (peer discovery of a StatefulSet) does not use readiness at all, nor
    // does one that only exposes metrics ports: Prometheus scrapes not-ready pods too.
    const services = ctx.index
      .servicesSelecting(w)
      .filter((s) => !(isObject(s.value.spec) && s.value.spec.publishNotReadyAddresses === true) && !metricsOnly(s));
    const targeted = new Map<Container, Resource>();
    for (const s of services) {
      for (const port of targetPorts(s)) {
        const c = containers.find((x) => declares(x, port));
        if (c && !targeted.has(c)) targeted.set(c, s);
      }
    }
    // A Service whose target port no container declares still sends traffic to the pod: to its first (main) container.
    const main = containers[0];
    if (main && services[0] && targeted.size === 0) targeted.set(main, services[0]);
    const someReadiness = containers.some((c) => c.readiness);
    for (const c of containers) {
      if (c.readiness) continue;
      const service = targeted.get(c);
      const at = { path: [...c.path, 'readinessProbe'], container: c.name };
      if (service) ctx.report({ ...at, messageId: 'servedByService', data: { service: service.name ?? '' } });
      // A port-bearing helper next to a container that has a readiness probe (an exporter, a proxy) does not decide the
      // pod's readiness alone. A bare Pod is not rolled out; without a Service in front it serves nobody we know of.
      else if (c.ports.length && !c.ports.every((p) => metricsWord(p.name)) && !someReadiness && w.kind !== 'Pod')
        ctx.report({ ...at, messageId: 'declaresPorts', data: { ports: portList(c) } });
    }
  },
});
