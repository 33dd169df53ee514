import { defineWorkloadRule } from '../../engine/rule.js';
import { closest } from '../../model/suggest.js';

/** A port name as Kubernetes accepts it (IANA_SVC_NAME); anything else is a template placeholder or a schema error. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

export default defineWorkloadRule({
  id: 'probe-port-unknown',
  meta: {
    severity: 'error',
    family: 'reliability',
    description: 'An httpGet, tcpSocket or grpc probe uses a named port that its container does not declare.',
    rationale:
      'A probe resolves a port name among the ports of its own container only. A name that is not there (a typo, a port renamed on one side, a name declared by the sidecar instead) makes every check fail: the pod never becomes ready (readiness) or is restarted in a loop (liveness, startup), and the rollout stalls with an error that does not name the cause.',
    remediation:
      'Use a port name the container declares in `ports` (names are case-sensitive), or the port number. Numbers are not checked: declaring a container port is optional, and health ports are often left undeclared on purpose.',
    tags: ['probes', 'self-healing'],
    messages: {
      unknownPort: '{{subject}}: {{probe}} uses port "{{port}}", which the container does not declare',
      unknownPortNear: '{{subject}}: {{probe}} uses port "{{port}}", not declared (did you mean "{{near}}"?)',
      otherContainersPort: '{{subject}}: {{probe}} uses port "{{port}}", declared only by container {{other}}',
    },
  },
  applies: { platforms: ['kubernetes'], skip: ['kustomize-patch'] },
  // A kustomize patch may change a probe and leave the ports to the base: patches are skipped.
  kubernetes(w, ctx) {
    for (const c of w.containers) {
      if (c.init) continue;
      for (const [field, probe] of [
        ['livenessProbe', c.liveness],
        ['readinessProbe', c.readiness],
        ['startupProbe', c.startup],
      ] as const) {
        const h = probe?.handler;
        const port = h?.port;
        if (!h?.portPath || typeof port !== 'string' || !PORT_NAME.test(port)) continue;
        if (c.ports.some((p) => p.name === port)) continue;
        const elsewhere = w.containers.find((o) => o !== c && o.ports.some((p) => p.name === port));
        const declared = c.ports.map((p) => p.name).filter((n): n is string => n !== undefined);
        const near = closest(port, declared);
        const base = { path: h.portPath, container: c.name };
        if (elsewhere)
          ctx.report({
            ...base,
            messageId: 'otherContainersPort',
            data: { probe: field, port, other: elsewhere.name },
          });
        else if (near) ctx.report({ ...base, messageId: 'unknownPortNear', data: { probe: field, port, near } });
        else ctx.report({ ...base, messageId: 'unknownPort', data: { probe: field, port } });
      }
    }
  },
});
