import { isObject } from '../../../model/json.js';
import { composeString } from '../../../model/compose-values.js';
import { deployMode, serviceMounts } from '../../../model/swarm-service.js';
import type { FixEdit, SwarmService } from '../../../model/types.js';
import { nodeLocalVolume } from '../../swarm/lib/node-local-volume.js';
import { swarmSpread } from './swarm-spread.js';
import { singletonHint } from './k8s-fixes.js';

/**
 * single-replica (Swarm): `deploy.replicas: 2` for a replicated service that can run twice: no bind mount or
 * node-local volume (the second task would write its own copy: local-volume-replicated), no port published in host
 * mode (two tasks on a node collide), not pinned to a node, no sign of a singleton (a database, a scheduler), and a
 * spread already in place (else topology-spread-missing, which has no safe fix on Swarm, would come with the replica).
 */
export function swarmReplicasFix(s: SwarmService): FixEdit[] | undefined {
  const svc = s.service;
  if (deployMode(svc) !== 'replicated' || s.replicas !== 1) return undefined;
  const deploy = isObject(svc.deploy) ? svc.deploy : {};
  if (s.replicasExplicit && typeof deploy.replicas !== 'number' && !/^\s*1\s*$/.test(String(deploy.replicas)))
    return undefined; // an interpolated count: the variable stays the author's
  const volumes = isObject(s.resource.value.volumes) ? s.resource.value.volumes : {};
  for (const m of serviceMounts(svc, s.path)) {
    if (m.type === 'bind') return undefined;
    if (m.type === 'volume' && m.source && (!Object.hasOwn(volumes, m.source) || nodeLocalVolume(volumes[m.source])))
      return undefined;
  }
  const ports = Array.isArray(svc.ports) ? svc.ports : [];
  if (ports.some((p) => isObject(p) && composeString(p.mode) === 'host')) return undefined;
  if (ports.some((p) => typeof p === 'string' && /mode=host/.test(p))) return undefined;
  const placement = isObject(deploy.placement) ? deploy.placement : {};
  const constraints = Array.isArray(placement.constraints) ? placement.constraints : [];
  if (constraints.some((c) => /^\s*node\.(hostname|id)\s*==/.test(composeString(c) ?? ''))) return undefined;
  if (!swarmSpread(svc)) return undefined;
  const c = s.container;
  if (singletonHint(s.name, c.image ? [c.image] : [], [...c.command, ...c.args])) return undefined;
  return [{ op: 'set', path: s.replicasPath, value: 2 }];
}
