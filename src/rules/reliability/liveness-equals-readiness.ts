import { defineWorkloadRule } from '../../engine/rule.js';
import { describeHandler, handlerKey } from './lib/probe-handler.js';

export interface LivenessEqualsReadinessOptions {
  livenessWindowFactor: number;
}

export default defineWorkloadRule<LivenessEqualsReadinessOptions>({
  id: 'liveness-equals-readiness',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'The liveness and readiness probes of a container check the same thing (same path, port or command).',
    rationale:
      'Readiness and liveness answer different questions: "should this pod get traffic now?" and "is this process beyond repair?". When both call the same endpoint, a dependency outage (the database is down, so /health fails) first takes the pods out of traffic, as it should, and then restarts every one of them at once: the restarts add a cold start and a thundering herd on top of the outage, and fix nothing. When the liveness window is much longer than the readiness window, only a long outage restarts the pods, so the finding is lowered to a note.',
    remediation:
      'Point liveness at an endpoint that checks only the process itself (e.g. /livez that answers as long as the server loop runs), and keep dependency checks in readiness. If the same endpoint must stay, make the liveness window (failureThreshold × periodSeconds) several times longer than the readiness one.',
    tags: ['probes', 'self-healing'],
    messages: {
      sameCheck: '{{subject}}: liveness ({{lw}}s) and readiness ({{rw}}s) both check {{handler}}',
      sameCheckPatient: '{{subject}}: liveness ({{lw}}s, {{ratio}}× readiness) and readiness both check {{handler}}',
    },
  },
  applies: { platforms: ['kubernetes'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        livenessWindowFactor: {
          type: 'number',
          minimum: 1,
          description:
            'When the liveness window (failureThreshold × periodSeconds) is at least this many times the readiness window, the finding is a note instead of a warning.',
        },
      },
    },
    defaults: { livenessWindowFactor: 3 },
  },
  kubernetes(w, ctx) {
    const value = w.resource.value;
    for (const c of w.containers) {
      const live = c.liveness;
      const ready = c.readiness;
      if (c.init || !live || !ready) continue;
      const key = handlerKey(value, live, c);
      if (key === undefined || key !== handlerKey(value, ready, c)) continue;
      const lw = live.failureThreshold * live.periodSeconds;
      const rw = ready.failureThreshold * ready.periodSeconds;
      const patient = rw > 0 && lw >= ctx.options.livenessWindowFactor * rw;
      const handler = describeHandler(value, live);
      ctx.report({
        path: live.path,
        container: c.name,
        ...(patient
          ? {
              severity: 'note' as const,
              messageId: 'sameCheckPatient',
              data: { lw, ratio: +(lw / rw).toFixed(1), handler },
            }
          : { messageId: 'sameCheck', data: { lw, rw, handler } }),
      });
    }
  },
});
