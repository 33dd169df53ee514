import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import type { Container } from '../../model/types.js';

function has(m: unknown, k: string): boolean {
  return isObject(m) && m[k] !== undefined && m[k] !== null && m[k] !== '';
}

/** What a Kubernetes container leaves unset (a limit implies the request); a LimitRange default counts as set. */
function missingKubernetes(
  c: Container,
  defaults: { requests: ReadonlySet<string>; limits: ReadonlySet<string> },
): { memoryLimit: boolean; requests: string[] } {
  const r = c.resources ?? {};
  const memoryLimit = !has(r.limits, 'memory') && !defaults.limits.has('memory');
  const requests = ['cpu', 'memory'].filter(
    (k) => !has(r.requests, k) && !has(r.limits, k) && !defaults.requests.has(k),
  );
  return { memoryLimit, requests };
}

export default defineWorkloadRule({
  id: 'resources-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description:
      'A container has no memory limit, or no CPU and memory requests (Swarm: no deploy.resources.limits.memory).',
    rationale:
      'Without a memory limit, one leaking process grows until the node runs out of memory: the kernel OOM killer and kubelet eviction then take down its neighbours too, and the rescheduled pods carry the leak to the next node. Without requests the scheduler packs pods blindly onto nodes that cannot hold them, and they are the first evicted under pressure.',
    remediation:
      'Kubernetes: set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container (a LimitRange with defaults in the namespace also counts). Swarm: set deploy.resources.limits.memory (and reservations.memory so the scheduler places tasks by it).',
    tags: ['resources', 'availability'],
    messages: {
      noMemoryLimit: '{{subject}} has no memory limit',
      noRequests: '{{subject}} has no {{requests}}',
      noLimitNoRequests: '{{subject}} has no memory limit and no {{requests}}',
      noServiceMemoryLimit: '{{subject}} has no memory limit (deploy.resources.limits.memory)',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'], skip: ['kustomize-patch', 'compose-only'] },
  kubernetes(w, ctx) {
    const defaults = ctx.index.limitRangeDefaults(w.namespace);
    for (const c of w.containers) {
      if (c.init) continue;
      const { memoryLimit, requests } = missingKubernetes(c, defaults);
      if (!memoryLimit && !requests.length) continue;
      const words = `${requests.map((k) => (k === 'cpu' ? 'CPU' : k)).join(' and ')} request${requests.length > 1 ? 's' : ''}`;
      const at = { path: [...c.path, 'resources'], container: c.name };
      if (!requests.length) ctx.report({ ...at, messageId: 'noMemoryLimit' });
      else
        ctx.report({ ...at, messageId: memoryLimit ? 'noLimitNoRequests' : 'noRequests', data: { requests: words } });
    }
  },
  swarm(s, ctx) {
    if (has(isObject(s.container.resources) ? s.container.resources.limits : undefined, 'memory')) return;
    ctx.report({
      path: [...s.path, 'deploy', 'resources', 'limits', 'memory'],
      container: s.container.name,
      messageId: 'noServiceMemoryLimit',
    });
  },
});
