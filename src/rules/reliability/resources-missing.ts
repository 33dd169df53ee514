import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../load/parse.js';
import type { Container } from '../../model/types.js';

function has(m: unknown, k: string): boolean {
  return isObject(m) && m[k] !== undefined && m[k] !== null && m[k] !== '';
}

/** What a Kubernetes container leaves unset: its memory limit, its CPU and memory requests (a limit implies the request). */
function missingKubernetes(c: Container, defaults: { requests: ReadonlySet<string>; limits: ReadonlySet<string> }): string[] {
  const r = c.resources ?? {};
  const out: string[] = [];
  if (!has(r.limits, 'memory') && !defaults.limits.has('memory')) out.push('memory limit');
  const requests = ['cpu', 'memory'].filter((k) => !has(r.requests, k) && !has(r.limits, k) && !defaults.requests.has(k));
  if (requests.length) out.push(`${requests.map((k) => (k === 'cpu' ? 'CPU' : k)).join(' and ')} request${requests.length > 1 ? 's' : ''}`);
  return out;
}

export default defineWorkloadRule({
  id: 'resources-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description: 'A container has no memory limit, or no CPU and memory requests (Swarm: no deploy.resources.limits.memory).',
    rationale:
      'Without a memory limit, one leaking process grows until the node runs out of memory: the kernel OOM killer and kubelet eviction then take down its neighbours too, and the rescheduled pods carry the leak to the next node. Without requests the scheduler packs pods blindly onto nodes that cannot hold them, and they are the first evicted under pressure.',
    remediation:
      'Kubernetes: set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container (a LimitRange with defaults in the namespace also counts). Swarm: set deploy.resources.limits.memory (and reservations.memory so the scheduler places tasks by it).',
    tags: ['resources', 'availability'],
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      const c = w.containers[0];
      if (!c || has(isObject(c.resources) ? c.resources.limits : undefined, 'memory')) return;
      ctx.report({
        path: [...w.path, 'deploy', 'resources', 'limits', 'memory'],
        container: c.name,
        message: `service "${w.name}" has no deploy.resources.limits.memory: a memory leak grows until the node runs out of memory, and the OOM killer then takes down the other services on that node too. Set a memory limit (and reservations.memory).`,
      });
      return;
    }
    const defaults = ctx.index.limitRangeDefaults(w.namespace);
    for (const c of w.containers) {
      if (c.init) continue;
      const missing = missingKubernetes(c, defaults);
      if (!missing.length) continue;
      const memLimit = missing.includes('memory limit');
      ctx.report({
        path: [...c.path, 'resources'],
        container: c.name,
        message: `container "${c.name}" of ${w.kind} "${w.name}" has no ${missing.join(' and no ')}: ${memLimit ? 'a memory leak can take the whole node down with it' : 'the scheduler cannot place it by what it needs'}${memLimit && missing.length > 1 ? ', and the scheduler places it blindly' : ''}. Set resources.requests.cpu, resources.requests.memory and resources.limits.memory.`,
      });
    }
  },
});
