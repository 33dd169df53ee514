import { defineWorkloadRule } from '../../engine/rule.js';
import { deployMode } from '../../model/swarm-service.js';

export default defineWorkloadRule({
  id: 'healthcheck-missing',
  meta: {
    severity: 'warning',
    family: 'swarm',
    description: 'A long-running replicated Swarm service has no healthcheck (or has it disabled).',
    rationale:
      'Without a healthcheck Swarm only sees whether the process runs: a hung task (deadlock, exhausted pool, stuck event loop) stays "running" and keeps receiving its share of the traffic from the routing mesh, and a rolling update moves on as soon as the new task has started, not when it works. With one, Swarm replaces unhealthy tasks, waits for health before routing to a new task, and can stop or roll back a bad update.',
    remediation:
      'Add a healthcheck with a cheap test of the service itself (for example test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]), an interval, a timeout and a start_period that covers the start. If the image defines a HEALTHCHECK, or the healthcheck is disabled on purpose, say so on the service with x-shipshape: {ignore: [healthcheck-missing], reason: …} (or a # shipshape-ignore comment).',
    tags: ['swarm', 'probes', 'self-healing'],
    messages: {
      disabled: '{{subject}} disables its healthcheck: a hung task keeps getting traffic',
      missing: '{{subject}} has no healthcheck: a hung task keeps getting traffic',
    },
  },
  applies: { platforms: ['swarm'], skip: ['compose-only'] },
  swarm(s, ctx) {
    if (!s.longRunning || deployMode(s.service) !== 'replicated' || s.replicas === 0) return;
    const hc = s.container.healthcheck;
    if (hc && !hc.disabled) return;
    if (!hc && s.partial) return; // a fragment of a multi-file deploy: the base file may have the healthcheck
    if (hc?.disabled)
      ctx.report({ path: [...hc.path, hc.test[0] === 'NONE' ? 'test' : 'disable'], messageId: 'disabled' });
    else ctx.report({ path: s.path, messageId: 'missing' });
  },
});
