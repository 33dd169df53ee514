import { defineWorkloadRule } from '../../engine/rule.js';
import { formatSeconds } from '../../model/compose-values.js';
import type { Path, Probe, Workload } from '../../model/types.js';
import type { Report } from '../../engine/rule.js';

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
    platforms: ['kubernetes', 'swarm'],
    description: 'A liveness probe (or Swarm healthcheck) restarts containers that are only slow.',
    rationale:
      'A liveness probe that gives up after one failure, or within a few seconds, turns a slow dependency, a GC pause or a CPU-throttled moment into a restart. Because every replica sees the same slowness, they all restart together: a brown-out becomes an outage.',
    remediation:
      'Give liveness a window of failed checks (failureThreshold × periodSeconds) of at least 10s and a failureThreshold of 3 or more, and make it at least as patient as the readiness probe so a slow pod is first taken out of traffic, not killed.',
    tags: ['probes', 'self-healing'],
  },
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
  check(w, ctx) {
    if (w.platform === 'swarm') {
      checkHealthcheck(w, ctx.options, ctx.report);
      return;
    }
    if (w.platform !== 'kubernetes') return;
    for (const c of w.containers) {
      const live = c.liveness;
      if (c.init || !live) continue;
      const window = live.failureThreshold * live.periodSeconds;
      const arithmetic = `${live.failureThreshold} × ${live.periodSeconds}s = ${window}s`;
      const reasons: string[] = [];
      let at: Path | undefined;
      if (live.failureThreshold <= 1) {
        reasons.push(`failureThreshold is ${live.failureThreshold}: a single failed check restarts the container`);
        at = explicitField(live, ['failureThreshold']);
      }
      if (window < ctx.options.minRestartWindowSeconds) {
        reasons.push(
          `it restarts after ${arithmetic} of failed checks, under the ${ctx.options.minRestartWindowSeconds}s minimum`,
        );
        at ??= explicitField(live, ['failureThreshold', 'periodSeconds']);
      }
      const ready = c.readiness;
      if (ready) {
        const readyWindow = ready.failureThreshold * ready.periodSeconds;
        if (window < readyWindow) {
          reasons.push(
            `liveness gives up after ${arithmetic}, sooner than readiness (${ready.failureThreshold} × ${ready.periodSeconds}s = ${readyWindow}s), so a slow pod is killed before it is even taken out of traffic`,
          );
          at ??= explicitField(live, ['failureThreshold', 'periodSeconds']);
        }
      }
      if (!reasons.length || !at) continue;
      ctx.report({
        path: at,
        container: c.name,
        message: `liveness probe of container "${c.name}" is too aggressive: ${reasons.join('; ')}. Raise failureThreshold or periodSeconds so that only a hung container is restarted.`,
      });
    }
  },
});

/**
 * Swarm: the healthcheck is liveness and readiness at once. After `retries` consecutive failures the task is
 * unhealthy and Swarm replaces it; Compose defaults apply (interval 30s, timeout 30s, retries 3).
 */
function checkHealthcheck(w: Workload, o: LivenessProbeAggressiveOptions, report: (r: Report) => void): void {
  const hc = w.containers[0]?.healthcheck;
  if (!hc || hc.disabled) return;
  const field = (...keys: string[]): Path => {
    const k = keys.find((x) => hc.explicit.has(x));
    return k ? [...hc.path, k] : hc.path;
  };
  const window = hc.interval * hc.retries;
  const arithmetic = `${formatSeconds(hc.interval)} × ${hc.retries} = ${formatSeconds(window)}`;
  const reasons: string[] = [];
  let at: Path | undefined;
  if (hc.retries <= 1) {
    reasons.push(`retries is ${hc.retries}: a single failed check marks the task unhealthy and Swarm replaces it`);
    at = field('retries');
  }
  if (window < o.minRestartWindowSeconds) {
    reasons.push(
      `it gives up after interval × retries = ${arithmetic} of failed checks, under the ${o.minRestartWindowSeconds}s minimum`,
    );
    at ??= field('retries', 'interval');
  }
  if (hc.timeout <= 1) {
    reasons.push(
      `its timeout is ${formatSeconds(hc.timeout)}: one slow answer (a GC pause, a busy database) already counts as a failure`,
    );
    at ??= field('timeout');
  }
  if (!reasons.length || !at) return;
  report({
    path: at,
    container: w.name,
    message: `healthcheck of service "${w.name}" is too aggressive: ${reasons.join('; ')}. Every replica sees the same slowness, so Swarm replaces them all at once. Raise retries and interval (window ≥ ${o.minRestartWindowSeconds}s, retries ≥ 3) and give the check a timeout of a few seconds.`,
  });
}
