import { defineWorkloadRule } from '../../engine/rule.js';

export default defineWorkloadRule({
  id: 'liveness-probe-missing',
  meta: {
    severity: 'note',
    family: 'reliability',
    platforms: ['kubernetes'],
    description: 'A long-running container has no liveness probe.',
    rationale:
      'A process that hangs (a deadlock, an exhausted thread pool, a stuck event loop) without exiting is never restarted: the pod stays Running, and if it has no readiness probe either it keeps receiving traffic it cannot answer, until someone notices and deletes it by hand.',
    remediation:
      'Add a livenessProbe that checks only the process itself (not its dependencies), with a patient window (failureThreshold × periodSeconds of 30s or more). Swarm services: see healthcheck-missing.',
    tags: ['probes', 'self-healing'],
  },
  check(w, ctx) {
    if (w.platform !== 'kubernetes' || !w.longRunning || ctx.index.isKustomizePatch(w.resource)) return;
    for (const c of w.containers) {
      if (c.init || c.liveness) continue;
      ctx.report({
        path: [...c.path, 'livenessProbe'],
        container: c.name,
        message: `container "${c.name}" of ${w.kind} "${w.name}" has no livenessProbe: if its process hangs without exiting, Kubernetes never restarts it. Add a livenessProbe that checks the process itself, with a window of 30s or more.`,
      });
    }
  },
});
