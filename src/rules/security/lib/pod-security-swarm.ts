import { isObject } from '../../../model/json.js';
import type { Workload } from '../../../model/types.js';
import { val, type Violation } from './pod-security-checks.js';
import { BASELINE_CAPABILITIES, safeSysctls } from './pod-security-standards.js';

/**
 * Baseline controls that carry over to a Swarm service: capabilities beyond the default set (`cap_add`), sysctls
 * outside the safe set (`sysctls`) and ports published on the node itself (`mode: host`). `privileged` and host
 * namespaces have rules of their own (swarm-ignored-key, host-namespace).
 */
export function swarmViolations(w: Workload): Violation[] {
  const s = w.service;
  if (!s) return [];
  const out: Violation[] = [];
  const at = (...rest: (string | number)[]): (string | number)[] => [...w.path, ...rest];
  if (Array.isArray(s.cap_add))
    s.cap_add.forEach((cap, i) => {
      const name = typeof cap === 'string' ? cap.toUpperCase().replace(/^CAP_/, '') : String(cap);
      if (BASELINE_CAPABILITIES.has(name)) return;
      out.push({
        control: 'capabilities',
        path: at('cap_add', i),
        what: `adds capability ${val(name)}`,
        container: w.name,
      });
    });
  const safe = safeSysctls(Number.MAX_SAFE_INTEGER);
  const sysctls: [string, (string | number)[]][] = Array.isArray(s.sysctls)
    ? s.sysctls.flatMap((e, i): [string, (string | number)[]][] =>
        typeof e === 'string' ? [[e.split('=')[0]!.trim(), at('sysctls', i)]] : [],
      )
    : isObject(s.sysctls)
      ? Object.keys(s.sysctls).map((k): [string, (string | number)[]] => [k, at('sysctls', k)])
      : [];
  for (const [name, path] of sysctls)
    if (!safe.has(name))
      out.push({ control: 'sysctls', path, what: `sets unsafe sysctl ${val(name)}`, container: w.name });
  if (Array.isArray(s.ports))
    s.ports.forEach((p, i) => {
      if (!isObject(p) || p.mode !== 'host' || p.published === undefined) return;
      out.push({
        control: 'hostPorts',
        path: at('ports', i, 'mode'),
        what: `publishes port ${val(p.published)} in host mode`,
        container: w.name,
      });
    });
  return out;
}
