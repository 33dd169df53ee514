import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import type { Path, Resource } from '../../model/types.js';
import { closest } from '../../model/suggest.js';

interface Backend {
  name: string;
  namePath: Path;
  port?: string | number;
  portPath?: Path;
}

/** The Service backends of an Ingress (v1 and v1beta1) or an HTTPRoute/GRPCRoute, with their paths. */
function backends(r: Resource): Backend[] {
  const out: Backend[] = [];
  const spec = isObject(r.value.spec) ? r.value.spec : {};
  if (r.kind === 'Ingress') {
    const one = (b: unknown, at: Path): void => {
      if (!isObject(b)) return;
      if (isObject(b.service) && typeof b.service.name === 'string') {
        const port = isObject(b.service.port) ? b.service.port : {};
        const key = typeof port.number === 'number' ? 'number' : typeof port.name === 'string' ? 'name' : undefined;
        out.push({
          name: b.service.name,
          namePath: [...at, 'service', 'name'],
          ...(key ? { port: port[key] as string | number, portPath: [...at, 'service', 'port', key] } : {}),
        });
      } else if (typeof b.serviceName === 'string') {
        const p = b.servicePort;
        out.push({
          name: b.serviceName,
          namePath: [...at, 'serviceName'],
          ...(typeof p === 'number' || typeof p === 'string' ? { port: p, portPath: [...at, 'servicePort'] } : {}),
        });
      }
    };
    one(spec.defaultBackend, ['spec', 'defaultBackend']);
    one(spec.backend, ['spec', 'backend']);
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
      const paths = isObject(rule) && isObject(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
      paths.forEach((p, j) => {
        if (isObject(p)) one(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
      });
    });
    return out;
  }
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
    const refs = isObject(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
    refs.forEach((b, j) => {
      if (!isObject(b) || typeof b.name !== 'string') return;
      if ((b.kind !== undefined && b.kind !== 'Service') || (b.group !== undefined && b.group !== '')) return;
      const at: Path = ['spec', 'rules', i, 'backendRefs', j];
      out.push({
        name: b.name,
        namePath: [...at, 'name'],
        ...(typeof b.port === 'number' ? { port: b.port, portPath: [...at, 'port'] } : {}),
      });
    });
  });
  return out;
}

export default defineResourceRule({
  id: 'backend-service-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description:
      'An Ingress or HTTPRoute sends traffic to a Service, or a Service port, that the input does not define.',
    rationale:
      'A backend naming a Service that does not exist (a typo, a rename on one side) answers 503 for every request on that path; a port the Service does not expose does the same. The Ingress and the Deployment both look healthy, so nothing in the rollout says so.',
    remediation:
      'Name the Service and one of its ports (number, or name for an Ingress). A missing Service is reported when the input defines one with a close name (a typo, a rename on one side), so a route to Services deployed apart (a chart, kubectl expose) stays quiet; a port is checked whenever the input defines the Service.',
    tags: ['availability', 'networking'],
    messages: {
      serviceMissing:
        '{{subject}} routes to Service {{service}}, which the input does not define: did you mean {{near}}?',
      portMissing: '{{subject}} routes to port {{port}} of Service {{service}}, which exposes {{ports:60}}',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['Ingress', 'HTTPRoute', 'GRPCRoute'] },
  check(r, ctx) {
    const api = r.apiVersion ?? '';
    if (r.kind !== 'Ingress' && !api.startsWith('gateway.networking.k8s.io/')) return;
    const list = backends(r);
    if (!list.length) return;
    const known = ctx.index.namesOf('Service', r.namespace);
    if (!known.length) return;
    for (const b of list) {
      const own = ctx.index.objectsNamed('Service', b.name, r.namespace);
      const services = own.length ? own : ctx.index.run().objectsNamed('Service', b.name, r.namespace);
      if (!services.length) {
        // Services of a route are often installed apart (a chart, `kubectl expose`): a name is only called missing when
        // the input defines one close to it, which is a typo or a rename on one side.
        const near = closest(b.name, known);
        if (near === undefined) continue;
        ctx.report({
          path: b.namePath,
          messageId: 'serviceMissing',
          data: { service: b.name, near },
        });
        continue;
      }
      if (b.port === undefined || !b.portPath) continue;
      const ports = services.flatMap((s) => {
        const spec = isObject(s.value.spec) ? s.value.spec : {};
        return (Array.isArray(spec.ports) ? spec.ports : []).filter(isObject);
      });
      if (!ports.length) continue;
      const ok = ports.some((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
      if (ok) continue;
      const have = ports
        .map((p) => (typeof b.port === 'number' ? String(p.port) : String(p.name ?? p.port)))
        .join(', ');
      ctx.report({
        path: b.portPath,
        messageId: 'portMissing',
        data: { port: String(b.port), service: b.name, ports: have },
      });
    }
  },
});
