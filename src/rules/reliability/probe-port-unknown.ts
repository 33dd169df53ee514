import { defineWorkloadRule } from '../../engine/rule.js';
import { closest } from '../../model/suggest.js';
import type { Probe } from '../../model/types.js';

const KINDS = [
  ['liveness', 'livenessProbe', 'the container is restarted over and over'],
  ['readiness', 'readinessProbe', 'the pod never becomes ready and never gets traffic'],
  ['startup', 'startupProbe', 'the container is restarted over and over and liveness never starts'],
] as const;

/** A port name as Kubernetes accepts it (IANA_SVC_NAME); anything else is a template placeholder or a schema error. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

export default defineWorkloadRule({
  id: 'probe-port-unknown',
  meta: {
    severity: 'error',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: 'An httpGet, tcpSocket or grpc probe uses a named port that its container does not declare.',
    rationale:
      'A probe resolves a port name among the ports of its own container only. A name that is not there (a typo, a port renamed on one side, a name declared by the sidecar instead) makes every check fail: the pod never becomes ready (readiness) or is restarted in a loop (liveness, startup), and the rollout stalls with an error that does not name the cause.',
    remediation:
      'Use a port name the container declares in `ports` (names are case-sensitive), or the port number. Numbers are not checked: declaring a container port is optional, and health ports are often left undeclared on purpose.',
    tags: ['probes', 'self-healing'],
  },
  check(w, ctx) {
    // A kustomize patch may change a probe and leave the ports to the base.
    if (w.platform !== 'kubernetes' || ctx.index.isKustomizePatch(w.resource)) return;
    for (const c of w.containers) {
      if (c.init) continue;
      for (const [field, key, outcome] of KINDS) {
        const probe: Probe | undefined = c[field];
        const h = probe?.handler;
        const port = h?.port;
        if (!h?.portPath || typeof port !== 'string' || !PORT_NAME.test(port)) continue;
        if (c.ports.some((p) => p.name === port)) continue;
        const elsewhere = w.containers.find((o) => o !== c && o.ports.some((p) => p.name === port));
        const declared = c.ports.map((p) => p.name).filter((n): n is string => n !== undefined);
        const near = closest(port, declared);
        ctx.report({
          path: h.portPath,
          container: c.name,
          message: `${key} of container "${c.name}" uses port "${port}", a name that container does not declare (${declared.length ? `it declares ${declared.map((n) => `"${n}"`).join(', ')}` : 'it declares no named port'}${elsewhere ? `; container "${elsewhere.name}" does, but a probe only resolves its own container's port names` : ''}): every check fails, so ${outcome}. ${near ? `Did you mean "${near}"?` : 'Use a declared port name or the port number.'}`,
        });
      }
    }
  },
});
