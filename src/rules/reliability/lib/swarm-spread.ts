import { composeNumber, composeString } from '../../../model/compose-values.js';
import { isObject } from '../../../model/json.js';
import type { JsonObject } from '../../../model/types.js';

/** Swarm: max_replicas_per_node, a spread preference, or a constraint that pins the service to one node on purpose. */
export function swarmSpread(service: JsonObject): boolean {
  const deploy = isObject(service.deploy) ? service.deploy : {};
  const placement = isObject(deploy.placement) ? deploy.placement : {};
  const perNode = composeNumber(placement.max_replicas_per_node);
  if (perNode !== undefined && perNode > 0) return true;
  if (Array.isArray(placement.preferences) && placement.preferences.some((p) => isObject(p) && p.spread !== undefined))
    return true;
  const constraints = Array.isArray(placement.constraints) ? placement.constraints : [];
  return constraints.some((c) => /^\s*node\.(hostname|id)\s*==/.test(composeString(c) ?? ''));
}
