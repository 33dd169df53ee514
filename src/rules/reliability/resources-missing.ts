import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import type { Container } from '../../model/types.js';

function has(m: unknown, k: string): boolean {
  return isObject(m) && m[k] !== undefined && m[k] !== null && m[k] !== '';
}

/** What a Kubernetes container leaves unset (a limit implies the request): words for the message, fields for the fix. */
function missingKubernetes(
  c: Container,
  defaults: { requests: ReadonlySet<string>; limits: ReadonlySet<string> },
): { words: string[]; fields: string[] } {
  const r = c.resources ?? {};
  const words: string[] = [];
  const fields: string[] = [];
  if (!has(r.limits, 'memory') && !defaults.limits.has('memory')) {
    words.push('memory limit');
    fields.push('resources.limits.memory');
  }
  const requests = ['cpu', 'memory'].filter(
    (k) => !has(r.requests, k) && !has(r.limits, k) && !defaults.requests.has(k),
  );
  if (requests.length)
    words.push(
      `${requests.map((k) => (k === 'cpu' ? 'CPU' : k)).join(' and ')} request${requests.length > 1 ? 's' : ''}`,
    );
  fields.unshift(...requests.map((k) => `resources.requests.${k}`));
  return { words, fields };
}

export default defineWorkloadRule({
  id: 'resources-missing',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description:
      'A container has no memory limit, or no CPU and memory requests (Swarm: no deploy.resources.limits.memory).',
    rationale:
      'Without a memory limit, one leaking process grows until the node runs out of memory: the kernel OOM killer and kubelet eviction then take down its neighbours too, and the rescheduled pods carry the leak to the next node. Without requests the scheduler packs pods blindly onto nodes that cannot hold them, and they are the first evicted under pressure.',
    remediation:
      'Kubernetes: set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container (a LimitRange with defaults in the namespace also counts). Swarm: set deploy.resources.limits.memory (and reservations.memory so the scheduler places tasks by it).',
    tags: ['resources', 'availability'],
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      if (w.composeOnly) return; // a docker compose file for local development, not a Swarm stack
      const c = w.containers[0];
      if (!c || has(isObject(c.resources) ? c.resources.limits : undefined, 'memory')) return;
      ctx.report({
        path: [...w.path, 'deploy', 'resources', 'limits', 'memory'],
        container: c.name,
        message: `service "${w.name}" has no deploy.resources.limits.memory: a memory leak grows until the node runs out of memory, and the OOM killer then takes down the other services on that node too. Set a memory limit (and reservations.memory).`,
      });
      return;
    }
    if (ctx.index.isKustomizePatch(w.resource)) return; // the base sets what the patch leaves out
    const defaults = ctx.index.limitRangeDefaults(w.namespace);
    for (const c of w.containers) {
      if (c.init) continue;
      const { words, fields } = missingKubernetes(c, defaults);
      if (!words.length) continue;
      const memLimit = fields.includes('resources.limits.memory');
      const why = [
        memLimit ? 'a memory leak can take the whole node down with it' : '',
        words.length > (memLimit ? 1 : 0) ? 'the scheduler places it blindly and evicts it first under pressure' : '',
      ]
        .filter(Boolean)
        .join(', and ');
      ctx.report({
        path: [...c.path, 'resources'],
        container: c.name,
        message: `container "${c.name}" of ${w.kind} "${w.name}" has no ${words.join(' and no ')}: ${why}. Set ${fields.join(', ')}.`,
      });
    }
  },
});
