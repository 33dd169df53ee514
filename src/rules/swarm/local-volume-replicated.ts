import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { deployMode, serviceMounts } from '../../model/swarm-service.js';
import { nodeLocalVolume } from './lib/node-local-volume.js';

/** A constraint that keeps the tasks on one node (or on the nodes an operator labelled for this data). */
const PINNING = /^\s*(node\.(hostname|id|labels\.[^\s=!]+)|engine\.labels\.[^\s=!]+)\s*==\s*\S/;
export default defineWorkloadRule({
  id: 'local-volume-replicated',
  meta: {
    severity: 'warning',
    family: 'swarm',
    description:
      'A replicated Swarm service writes to a named volume of the local driver and nothing pins it to one node.',
    rationale:
      'A local volume lives on the node where the task runs. When the task is rescheduled (node failure, drain, update, resource pressure), Swarm starts it on another node with a new, empty volume of the same name: the database comes back without its data, and the old data waits on the first node. With several replicas, each node writes its own diverging copy.',
    remediation:
      'Either pin the service to the node that holds the data with a placement constraint (node.hostname == db-1, or a node label such as node.labels.db == true set on one node), or put the volume on storage every node can reach: driver_opts type: nfs with o: addr=…, a volume plugin, or a cluster (CSI) volume.',
    tags: ['swarm', 'storage', 'stateful'],
    messages: {
      notPinned: '{{subject}} writes to volume {{volume}} ({{local}}) and nothing pins it to one node',
      pinnedByRole:
        '{{subject}} writes to volume {{volume}} ({{local}}); node.role == manager does not pin it to one node',
    },
  },
  applies: { platforms: ['swarm'], skip: ['compose-only', 'partial'] },
  // A fragment of a multi-file deploy (partial) may get its placement from the base file.
  swarm(s, ctx) {
    if (deployMode(s.service) !== 'replicated') return;
    const deploy = isObject(s.service.deploy) ? s.service.deploy : {};
    const placement = isObject(deploy.placement) ? deploy.placement : {};
    const constraints = Array.isArray(placement.constraints)
      ? placement.constraints.filter((c): c is string => typeof c === 'string')
      : [];
    if (constraints.some((c) => PINNING.test(c))) return;
    const defs = isObject(s.resource.value.volumes) ? s.resource.value.volumes : {};
    const byRole = constraints.some((c) => /node\.role\s*==\s*manager/.test(c));
    for (const m of serviceMounts(s.service, s.path)) {
      if (m.type !== 'volume' || !m.source || m.readOnly || !Object.hasOwn(defs, m.source)) continue;
      const local = nodeLocalVolume(defs[m.source]);
      if (!local) continue;
      ctx.report({
        path: m.sourcePath,
        container: s.name,
        messageId: byRole ? 'pinnedByRole' : 'notPinned',
        data: { volume: m.source, local, target: m.target ?? '?', replicas: s.replicas ?? '' },
      });
    }
  },
});
