import { defineWorkloadRule } from '../../engine/rule.js';

export default defineWorkloadRule({
  id: 'liveness-probe-missing',
  meta: {
    severity: 'note',
    family: 'reliability',
    description: 'A long-running container has no liveness probe.',
    rationale:
      'A process that hangs (a deadlock, an exhausted thread pool, a stuck event loop) without exiting is never restarted: the pod stays Running, and if it has no readiness probe either it keeps receiving traffic it cannot answer, until someone notices and deletes it by hand.',
    remediation:
      'Add a livenessProbe that checks only the process itself (not its dependencies), with a patient window (failureThreshold × periodSeconds of 30s or more). Swarm services: see healthcheck-missing.',
    tags: ['probes', 'self-healing'],
    messages: {
      noProbe: '{{subject}} has no livenessProbe: a hung process is never restarted',
    },
  },
  applies: { platforms: ['kubernetes'], skip: ['kustomize-patch'] },
  kubernetes(w, ctx) {
    if (!w.longRunning) return;
    for (const c of w.containers) {
      if (c.init || c.liveness) continue;
      ctx.report({ path: [...c.path, 'livenessProbe'], container: c.name, messageId: 'noProbe' });
    }
  },
});
