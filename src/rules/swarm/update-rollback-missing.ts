import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { composeString } from '../../model/compose-values.js';
import type { Path } from '../../model/types.js';
import { rollbackFix } from './lib/swarm-fixes.js';

/** Docker's default update monitor period. */
const DEFAULT_MONITOR_SECONDS = 5;

export default defineWorkloadRule({
  id: 'update-rollback-missing',
  meta: {
    severity: 'note',
    family: 'swarm',
    description:
      'A replicated Swarm service does not roll back a failed update, or does not watch new tasks long enough to notice one.',
    rationale:
      'By default a failed rolling update pauses (failure_action: pause): the service is left half on the new version, half on the old, until someone notices and runs docker service rollback. The monitor period (default 5s) is how long Swarm watches each updated task for a failure; a task that crashes or turns unhealthy after that counts as a success, and the update goes on to replace every replica with the broken version.',
    remediation:
      "Set deploy.update_config.failure_action: rollback and a monitor at least as long as the service needs to show a failure: Swarm counts a task with a healthcheck as running once it is healthy, so that is the healthcheck's interval × retries (for example monitor: 90s for the defaults). Consider order: start-first so capacity never drops during the update. " +
      '`shipshape --fix` sets what is missing: failure_action: rollback, and a monitor of interval × retries, at least 30s.',
    tags: ['swarm', 'rollout'],
    messages: {
      noFailureAction:
        '{{subject}} runs {{replicas}} replicas, and a failed update pauses half done (no failure_action)',
      failureAction:
        '{{subject}} runs {{replicas}} replicas, and a failed update {{outcome}} (failure_action: {{action}})',
      noMonitor:
        '{{subject}} runs {{replicas}} replicas, and an update watches each new task for only {{seconds}}s (no monitor)',
    },
  },
  applies: { platforms: ['swarm'], skip: ['compose-only'] },
  swarm(s, ctx) {
    if (!s.longRunning || s.replicas === undefined || s.replicas < 2) return;
    const partial = s.partial === true; // a fragment of a multi-file deploy: only what it writes counts
    const deploy = isObject(s.service.deploy) ? s.service.deploy : {};
    const update = isObject(deploy.update_config) ? deploy.update_config : undefined;
    const base: Path = [...s.path, 'deploy', 'update_config'];
    const action = composeString(update?.failure_action);
    const noRollback = action !== 'rollback' && !(partial && action === undefined);
    const noMonitor = composeString(update?.monitor) === undefined && !partial;
    if (!noRollback && !noMonitor) return;
    const path = noRollback && action ? [...base, 'failure_action'] : update ? base : [...s.path, 'deploy'];
    // The first problem is the message; the other one still tells findings of several files apart.
    const data = { replicas: s.replicas, action: action ?? '', monitor: noMonitor ? 'unset' : 'set' };
    const edits = rollbackFix(s, noRollback, noMonitor);
    const fix = edits ? { fix: edits } : {};
    if (!noRollback)
      ctx.report({ path, ...fix, messageId: 'noMonitor', data: { ...data, seconds: DEFAULT_MONITOR_SECONDS } });
    else if (action)
      ctx.report({
        path,
        ...fix,
        messageId: 'failureAction',
        data: { ...data, outcome: action === 'continue' ? 'carries on' : 'stops half done' },
      });
    else ctx.report({ path, ...fix, messageId: 'noFailureAction', data });
  },
});
