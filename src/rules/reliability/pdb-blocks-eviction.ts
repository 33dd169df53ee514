import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { floorReplicas, pdbSelector } from './lib/pdb-coverage.js';

/** An int-or-percent PDB field: `{ n }` or `{ percent }`; undefined when unreadable. */
function intOrPercent(v: unknown): { n: number } | { percent: number } | undefined {
  if (typeof v === 'number') return { n: v };
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
  if (!m) return undefined;
  return m[2] ? { percent: Number(m[1]) } : { n: Number(m[1]) };
}

export default defineResourceRule({
  id: 'pdb-blocks-eviction',
  meta: {
    severity: 'warning',
    family: 'reliability',
    description:
      'A PodDisruptionBudget allows no voluntary disruption at all (maxUnavailable 0, or minAvailable covering every pod).',
    rationale:
      'A budget that never allows an eviction makes `kubectl drain`, node auto-upgrades and the cluster autoscaler wait forever: node maintenance hangs, cluster upgrades stall half-way, and someone ends up deleting the PDB by hand under pressure.',
    remediation:
      'Use maxUnavailable: 1 (or a percentage that rounds to at least one pod), or a minAvailable below the number of replicas, and run at least 2 replicas so that one can always be evicted.',
    tags: ['availability', 'disruption'],
    messages: {
      maxUnavailableZero:
        '{{subject}} sets maxUnavailable: {{value}}: no pod may ever be evicted, so drains wait forever',
      minAvailableAll: '{{subject}} sets minAvailable: {{value}}: no pod may ever be evicted, so drains wait forever',
      minAvailableCoversAll:
        '{{subject}} requires minAvailable {{needed}} of the {{pods}} pods it covers: drains wait forever',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['PodDisruptionBudget'] },
  check(r, ctx) {
    const spec = isObject(r.value.spec) ? r.value.spec : undefined;
    if (!spec) return;
    const maxU = intOrPercent(spec.maxUnavailable);
    if (maxU) {
      const zero = 'n' in maxU ? maxU.n === 0 : maxU.percent === 0;
      if (zero)
        ctx.report({
          path: ['spec', 'maxUnavailable'],
          messageId: 'maxUnavailableZero',
          data: { value: JSON.stringify(spec.maxUnavailable) },
        });
      return;
    }
    const minA = intOrPercent(spec.minAvailable);
    if (!minA) return;
    if ('percent' in minA && minA.percent >= 100) {
      ctx.report({
        path: ['spec', 'minAvailable'],
        messageId: 'minAvailableAll',
        data: { value: JSON.stringify(spec.minAvailable) },
      });
      return;
    }
    const selector = pdbSelector(r);
    if (!selector) return;
    const covered = ctx.index.workloadsSelectedBy(selector, r.namespace);
    if (!covered.length) return;
    let pods = 0;
    const sources: string[] = [];
    for (const w of covered) {
      const floor = floorReplicas(w, ctx.index);
      if (!floor) return; // a DaemonSet or bare Pod: the number of pods is not in the manifests
      pods += floor.pods;
      sources.push(`${w.kind}/${w.name}${floor.hpa ? ' (HPA)' : ''}: ${floor.pods}`);
    }
    // Kubernetes rounds a minAvailable percentage up.
    const needed = 'n' in minA ? minA.n : Math.ceil((minA.percent / 100) * pods);
    if (pods === 0 || needed < pods) return;
    ctx.report({
      path: ['spec', 'minAvailable'],
      messageId: 'minAvailableCoversAll',
      data: {
        needed: 'n' in minA ? String(minA.n) : `${JSON.stringify(spec.minAvailable)} (${needed})`,
        pods,
        sources: sources.join('; '),
      },
    });
  },
});
