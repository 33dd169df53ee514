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
    description: 'A stack file value that the schema lets through but docker stack deploy or the Swarm engine rejects.',
    rationale:
      'The Compose schema leaves deploy.mode, failure_action, order, restart_policy.condition and endpoint_mode as free strings, so editors and schema-based linters accept a typo such as mode: globl. Docker rejects it only when the stack is deployed, as it does a duration without a unit (interval: 30), a boolean environment value (DEBUG: true) and an env_file that does not exist: the release fails at the last step, or is half applied.',
    remediation:
      'Use one of the values listed in the message (the closest one is suggested); write durations with a unit (30s, 1m30s, 500ms); quote booleans in environment and labels; commit the env file or fix its path.',
    tags: ['swarm', 'compose', 'deploy'],
    messages: {
      badEnum: '{{subject}}: {{label}} is a value Docker does not accept ({{allowed}}){{hint}}',
      badEnumType: '{{subject}}: {{label}} is a {{type}}, which Docker does not accept ({{allowed}})',
      badDuration: '{{subject}}: {{label}} is not a duration Docker can read: {{reason}}',
      negativeDuration: '{{subject}}: {{label}} is negative, which Docker rejects',
      booleanValue:
        '{{subject}}: {{field}} {{key}} is the boolean {{value}}, which docker stack deploy rejects (quote it)',
      structuredValue: '{{subject}}: {{field}} {{key}} is not a string or number, which docker stack deploy rejects',
      disableAndTest: '{{subject}}: healthcheck has both disable: true and a test, which docker stack deploy rejects',
      envFileMissing: '{{subject}}: env_file {{file}} does not exist, so docker stack deploy fails',
    },
  },
  applies: { platforms: ['swarm'] },
  swarm(s, ctx) {
    const service = s.service;
    const at = (p: Path): Path => [...s.path, ...p];
    for (const [p, allowed, label] of ENUM_FIELDS) {
      const v = get(service, p);
      if (v === undefined || v === null) continue;
      if (typeof v === 'string' && (allowed.includes(v) || hasInterpolation(v))) continue;
      // The value itself is not quoted (it could be anything, a secret too): the position shows it.
      if (typeof v === 'string')
        ctx.report({
          path: at(p),
          messageId: 'badEnum',
          data: { label, allowed: allowed.join(', '), hint: didYouMean(v, allowed).replace(' — ', '; ') },
        });
      else
        ctx.report({
          path: at(p),
          messageId: 'badEnumType',
          data: {
            label,
            allowed: allowed.join(', '),
            type: Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v,
          },
        });
    }
    for (const p of DURATION_FIELDS) {
      const v = get(service, p);
      if (v === undefined || v === null || (typeof v === 'string' && hasInterpolation(v))) continue;
      const d = parseDuration(v);
      const label = p.filter((x) => x !== 'deploy').join('.');
      if (!d.ok) ctx.report({ path: at(p), messageId: 'badDuration', data: { label, reason: d.reason } });
      else if (d.seconds < 0) ctx.report({ path: at(p), messageId: 'negativeDuration', data: { label } });
    }
    for (const [field, p] of [
      ['environment', ['environment']],
      ['labels', ['labels']],
      ['deploy.labels', ['deploy', 'labels']],
    ] as const) {
      const map = get(service, p);
      if (!isObject(map)) continue;
      for (const [k, v] of Object.entries(map)) {
        if (typeof v === 'boolean')
          ctx.report({ path: at([...p, k]), messageId: 'booleanValue', data: { field, key: k, value: String(v) } });
        else if (isObject(v) || Array.isArray(v))
          ctx.report({ path: at([...p, k]), messageId: 'structuredValue', data: { field, key: k } });
      }
    }
    const hc = service.healthcheck;
    if (
      isObject(hc) &&
      hc.disable === true &&
      hc.test !== undefined &&
      hc.test !== null &&
      !(Array.isArray(hc.test) && hc.test.length === 0)
    )
      ctx.report({ path: at(['healthcheck', 'disable']), messageId: 'disableAndTest' });
    const refs = s.resource.envFiles;
    if (refs) {
      for (const e of envFileEntries(service)) {
        const problem = refs.get(e.file)?.problem;
        if (problem?.kind === 'missing')
          ctx.report({ path: at(e.path), messageId: 'envFileMissing', data: { file: e.file } });
      }
    }
  },
});
