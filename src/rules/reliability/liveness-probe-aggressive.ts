import { defineWorkloadRule, type Report } from '../../engine/rule.js';
import { formatSeconds } from '../../model/compose-values.js';
import type { Path, Probe } from '../../model/types.js';
import { livenessWindowFix } from './lib/k8s-fixes.js';
import { healthWindowFix } from '../swarm/lib/swarm-fixes.js';

export interface LivenessProbeAggressiveOptions {
  minRestartWindowSeconds: number;
}

/** The field to point at: the first of the given ones the author wrote, else the probe itself. */
export function explicitField(p: Probe, fields: string[]): Path {
  const f = fields.find((x) => p.explicit.has(x));
  return f ? [...p.path, f] : p.path;
}

export default defineWorkloadRule<LivenessProbeAggressiveOptions>({
  id: 'liveness-probe-aggressive',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description: 'A liveness probe (or Swarm healthcheck) restarts containers that are only slow.',
    rationale:
      'A liveness probe that gives up after one failure, or within a few seconds, turns a slow dependency, a GC pause or a CPU-throttled moment into a restart. Because every replica sees the same slowness, they all restart together: a brown-out becomes an outage.',
    remediation:
      'Give liveness a window of failed checks (failureThreshold × periodSeconds) of at least 10s and a failureThreshold of 3 or more, and make it at least as patient as the readiness probe so a slow pod is first taken out of traffic, not killed. `shipshape --fix` raises failureThreshold to reach that window (periodSeconds too when more than 10 failures would be needed). ' +
      'Swarm: `shipshape --fix` raises healthcheck.retries (to 3, or more to reach the window; past 10 retries it lengthens the interval instead) and a timeout of 1s or less to 2–5s.',
    tags: ['probes', 'self-healing'],
    messages: {
      singleFailure: '{{subject}}: liveness failureThreshold is {{n}}: one failed check restarts it',
      shortWindow: '{{subject}}: liveness restarts after {{n}} × {{period}}s = {{window}}s of failures, under {{min}}s',
      soonerThanReadiness:
        '{{subject}}: liveness restarts after {{window}}s, sooner than readiness fails ({{readyWindow}}s)',
      singleRetry: 'healthcheck of {{subject}} has retries: {{n}}: one failed check replaces the task',
      shortHealthWindow:
        'healthcheck of {{subject}} gives up after {{interval}} × {{retries}} = {{window}}, under {{min}}s',
      shortTimeout: 'healthcheck of {{subject}} has timeout {{timeout}}: one slow answer is a failure',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minRestartWindowSeconds: {
          type: 'integer',
          minimum: 1,
          description: 'The shortest acceptable time of consecutive failed checks before a restart.',
        },
      },
    },
    defaults: { minRestartWindowSeconds: 10 },
  },
  kubernetes(w, ctx) {
    const min = ctx.options.minRestartWindowSeconds;
    for (const c of w.containers) {
      const live = c.liveness;
      if (c.init || !live) continue;
      const window = live.failureThreshold * live.periodSeconds;
      const both = ['failureThreshold', 'periodSeconds'];
      const readyWindow = c.readiness ? c.readiness.failureThreshold * c.readiness.periodSeconds : undefined;
      // The first problem found is the message; they all point at the same fields.
      const found: Omit<Report, 'container'> | undefined =
        live.failureThreshold <= 1
          ? {
              path: explicitField(live, ['failureThreshold']),
              messageId: 'singleFailure',
              data: { n: live.failureThreshold },
            }
          : window < min
            ? {
                path: explicitField(live, both),
                messageId: 'shortWindow',
                data: { n: live.failureThreshold, period: live.periodSeconds, window, min },
              }
            : readyWindow !== undefined && window < readyWindow
              ? { path: explicitField(live, both), messageId: 'soonerThanReadiness', data: { window, readyWindow } }
              : undefined;
      if (!found) continue;
      // One fix for all three problems: at least 3 failures, and a window of the minimum and of readiness's.
      const fix = livenessWindowFix(live, Math.max(min, readyWindow ?? 0));
      ctx.report({ ...found, container: c.name, ...(fix.length ? { fix } : {}) });
    }
  },
  /**
   * Swarm: the healthcheck is liveness and readiness at once. After `retries` consecutive failures the task is
   * unhealthy and Swarm replaces it; Compose defaults apply (interval 30s, timeout 30s, retries 3).
   */
  swarm(s, ctx) {
    const hc = s.container.healthcheck;
    if (!hc || hc.disabled) return;
    const min = ctx.options.minRestartWindowSeconds;
    const field = (...keys: string[]): Path => {
      const k = keys.find((x) => hc.explicit.has(x));
      return k ? [...hc.path, k] : hc.path;
    };
    const window = hc.interval * hc.retries;
    // One fix for every check below: it must not leave the next problem as a new finding.
    const edits = hc.retries <= 1 || window < min || hc.timeout <= 1 ? healthWindowFix(s, hc, min) : undefined;
    const fix = edits ? { fix: edits } : {};
    if (hc.retries <= 1)
      ctx.report({
        path: field('retries'),
        container: s.name,
        messageId: 'singleRetry',
        data: { n: hc.retries },
        ...fix,
      });
    else if (window < min)
      ctx.report({
        path: field('retries', 'interval'),
        container: s.name,
        ...fix,
        messageId: 'shortHealthWindow',
        data: { interval: formatSeconds(hc.interval), retries: hc.retries, window: formatSeconds(window), min },
      });
    else if (hc.timeout <= 1)
      ctx.report({
        path: field('timeout'),
        container: s.name,
        ...fix,
        messageId: 'shortTimeout',
        data: { timeout: formatSeconds(hc.timeout) },
      });
  },
});
