import { composeString } from '../../../model/compose-values.js';
import { isObject } from '../../../model/json.js';

/** local-driver options that mount network storage: the data is reachable from every node. */
const NETWORK_FS = /^(nfs4?|cifs|smb3?|ceph|glusterfs)$/i;

/** Why a top-level volume keeps its data on one node, or undefined when it is shared or unknown. */
export function nodeLocalVolume(def: unknown): string | undefined {
  if (def !== null && def !== undefined && !isObject(def)) return undefined;
  const v = isObject(def) ? def : {};
  if (v.external !== undefined && v.external !== false) return undefined; // created out of band: its driver is unknown here
  if (v['x-cluster-spec'] !== undefined) return undefined; // a Swarm cluster (CSI) volume
  const driver = composeString(v.driver);
  if (driver === undefined && v.driver !== undefined) return undefined;
  if (driver && driver !== 'local') return undefined;
  const opts = isObject(v.driver_opts) ? v.driver_opts : {};
  const type = composeString(opts.type) ?? '';
  const o = composeString(opts.o) ?? '';
  if (NETWORK_FS.test(type) || /(^|,)addr=/.test(o)) return undefined;
  return driver ? 'the local driver' : 'the default local driver';
}
