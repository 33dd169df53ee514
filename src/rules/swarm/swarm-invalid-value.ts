import { defineWorkloadRule } from '../../engine/rule.js';
import { didYouMean } from '../../model/suggest.js';
import { isObject } from '../../model/json.js';
import { hasInterpolation, parseDuration } from '../../model/compose-values.js';
import { envFileEntries } from '../../model/swarm-service.js';
import type { JsonObject, Path } from '../../model/types.js';
import { ENUMS } from './lib/docker-keys.js';

/** [path inside the service, allowed values, what Docker says it is]. */
const ENUM_FIELDS: readonly [Path, readonly string[], string][] = [
  [['deploy', 'mode'], ENUMS.mode, 'deploy.mode'],
  [['deploy', 'endpoint_mode'], ENUMS.endpoint_mode, 'deploy.endpoint_mode'],
  [['deploy', 'update_config', 'failure_action'], ENUMS.update_failure_action, 'update_config.failure_action'],
  [['deploy', 'update_config', 'order'], ENUMS.order, 'update_config.order'],
  [['deploy', 'rollback_config', 'failure_action'], ENUMS.rollback_failure_action, 'rollback_config.failure_action'],
  [['deploy', 'rollback_config', 'order'], ENUMS.order, 'rollback_config.order'],
  [['deploy', 'restart_policy', 'condition'], ENUMS.restart_condition, 'restart_policy.condition'],
];

const DURATION_FIELDS: readonly Path[] = [
  ['healthcheck', 'interval'],
  ['healthcheck', 'timeout'],
  ['healthcheck', 'start_period'],
  ['healthcheck', 'start_interval'],
  ['deploy', 'update_config', 'delay'],
  ['deploy', 'update_config', 'monitor'],
  ['deploy', 'rollback_config', 'delay'],
  ['deploy', 'rollback_config', 'monitor'],
  ['deploy', 'restart_policy', 'delay'],
  ['deploy', 'restart_policy', 'window'],
  ['stop_grace_period'],
];

function get(obj: JsonObject, path: Path): unknown {
  let cur: unknown = obj;
  for (const seg of path) cur = isObject(cur) ? cur[String(seg)] : undefined;
  return cur;
}

export default defineWorkloadRule({
  id: 'swarm-invalid-value',
  meta: {
    severity: 'error',
    family: 'swarm',
    platforms: ['swarm'],
    description: 'A stack file value that the schema lets through but docker stack deploy or the Swarm engine rejects.',
    rationale:
      'The Compose schema leaves deploy.mode, failure_action, order, restart_policy.condition and endpoint_mode as free strings, so editors and schema-based linters accept a typo such as mode: globl. Docker rejects it only when the stack is deployed, as it does a duration without a unit (interval: 30), a boolean environment value (DEBUG: true) and an env_file that does not exist: the release fails at the last step, or is half applied.',
    remediation:
      'Use one of the values listed in the message (the closest one is suggested); write durations with a unit (30s, 1m30s, 500ms); quote booleans in environment and labels; commit the env file or fix its path.',
    tags: ['swarm', 'compose', 'deploy'],
  },
  check(w, ctx) {
    const s = w.service;
    if (!s) return;
    const at = (p: Path): Path => [...w.path, ...p];
    for (const [p, allowed, label] of ENUM_FIELDS) {
      const v = get(s, p);
      if (v === undefined || v === null) continue;
      if (typeof v === 'string' && (allowed.includes(v) || hasInterpolation(v))) continue;
      // The value itself is not quoted (it could be anything, a secret too): the position shows it.
      ctx.report({
        path: at(p),
        message: `service "${w.name}": ${label} is ${typeof v === 'string' ? 'a value' : `a ${Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v}`} Docker does not accept (${allowed.join(', ')}), and the deploy fails${typeof v === 'string' ? didYouMean(v, allowed) : ''}.`,
      });
    }
    for (const p of DURATION_FIELDS) {
      const v = get(s, p);
      if (v === undefined || v === null || (typeof v === 'string' && hasInterpolation(v))) continue;
      const d = parseDuration(v);
      const label = p.filter((x) => x !== 'deploy').join('.');
      if (!d.ok)
        ctx.report({
          path: at(p),
          message: `service "${w.name}": ${label} is not a duration docker stack deploy can read: ${d.reason}. Use Go duration syntax such as 30s, 1m30s or 500ms.`,
        });
      else if (d.seconds < 0)
        ctx.report({ path: at(p), message: `service "${w.name}": ${label} is negative, which Docker rejects.` });
    }
    for (const [field, p] of [
      ['environment', ['environment']],
      ['labels', ['labels']],
      ['deploy.labels', ['deploy', 'labels']],
    ] as const) {
      const map = get(s, p);
      if (!isObject(map)) continue;
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'boolean' && !(isObject(v) || Array.isArray(v))) continue;
        const fix = typeof v === 'boolean' ? `quote it ("${String(v)}")` : 'write a string';
        ctx.report({
          path: at([...p, k]),
          message: `service "${w.name}": ${field} ${k} is ${typeof v === 'boolean' ? `the boolean ${String(v)}` : 'not a string or number'}, which docker stack deploy rejects ("must be a string, number or null"): ${fix}.`,
        });
      }
    }
    const hc = s.healthcheck;
    if (
      isObject(hc) &&
      hc.disable === true &&
      hc.test !== undefined &&
      hc.test !== null &&
      !(Array.isArray(hc.test) && hc.test.length === 0)
    )
      ctx.report({
        path: at(['healthcheck', 'disable']),
        message: `service "${w.name}": healthcheck has both disable: true and a test, which docker stack deploy rejects ("test and disable can't be set at the same time"). Remove one of them.`,
      });
    const refs = w.resource.envFiles;
    if (refs) {
      for (const e of envFileEntries(s)) {
        const problem = refs.get(e.file)?.problem;
        if (problem?.kind === 'missing')
          ctx.report({ path: at(e.path), message: `service "${w.name}": ${problem.message}.` });
      }
    }
  },
});
