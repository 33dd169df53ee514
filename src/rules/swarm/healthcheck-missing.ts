import { defineWorkloadRule } from '../../engine/rule.js';
import { deployMode } from '../../model/swarm-service.js';

export default defineWorkloadRule({
  id: 'healthcheck-missing',
  meta: {
    severity: 'warning',
    family: 'swarm',
    platforms: ['swarm'],
    description: 'A long-running replicated Swarm service has no healthcheck (or has it disabled).',
    rationale:
      'Without a healthcheck Swarm only sees whether the process runs: a hung task (deadlock, exhausted pool, stuck event loop) stays "running" and keeps receiving its share of the traffic from the routing mesh, and a rolling update moves on as soon as the new task has started, not when it works. With one, Swarm replaces unhealthy tasks, waits for health before routing to a new task, and can stop or roll back a bad update.',
    remediation:
      'Add a healthcheck with a cheap test of the service itself (for example test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]), an interval, a timeout and a start_period that covers the start. If the image defines a HEALTHCHECK, or the healthcheck is disabled on purpose, say so on the service with x-shipshape: {ignore: [healthcheck-missing], reason: …} (or a # shipshape-ignore comment).',
    tags: ['swarm', 'probes', 'self-healing'],
  },
  check(w, ctx) {
    if (w.composeOnly) return; // a docker compose file for local development, not a Swarm stack
    const s = w.service;
    if (!s || !w.longRunning || deployMode(s) !== 'replicated' || w.replicas === 0) return;
    const c = w.containers[0];
    const hc = c?.healthcheck;
    if (hc && !hc.disabled) return;
    if (!hc && w.partial) return; // a fragment of a multi-file deploy: the base file may have the healthcheck
    if (hc?.disabled) {
      ctx.report({
        path: [...hc.path, hc.test[0] === 'NONE' ? 'test' : 'disable'],
        message: `service "${w.name}" disables its healthcheck: Swarm cannot tell a hung task from a working one, keeps routing traffic to it, and a rolling update cannot wait for health. If that is deliberate, say so on the service with x-shipshape: {ignore: [healthcheck-missing], reason: …}; otherwise add a healthcheck.`,
      });
      return;
    }
    ctx.report({
      path: w.path,
      message: `service "${w.name}" has no healthcheck: a hung task stays "running", keeps its share of the traffic, and a rolling update moves on as soon as a new task starts. Add a healthcheck (test, interval, timeout, start_period), unless the image ${c?.image ? `${c.image} ` : ''}defines a HEALTHCHECK (then say so with x-shipshape: {ignore: [healthcheck-missing], reason: …} on the service).`,
    });
  },
});
