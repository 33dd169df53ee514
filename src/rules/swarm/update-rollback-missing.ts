import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { composeString } from '../../model/compose-values.js';
import type { Path } from '../../model/types.js';

/** Docker's default update monitor period. */
const DEFAULT_MONITOR_SECONDS = 5;

export default defineWorkloadRule({
  id: 'update-rollback-missing',
  meta: {
    severity: 'note',
    family: 'swarm',
    platforms: ['swarm'],
    description:
      'A replicated Swarm service does not roll back a failed update, or does not watch new tasks long enough to notice one.',
    rationale:
      'By default a failed rolling update pauses (failure_action: pause): the service is left half on the new version, half on the old, until someone notices and runs docker service rollback. The monitor period (default 5s) is how long Swarm watches each updated task for a failure; a task that crashes or turns unhealthy after that counts as a success, and the update goes on to replace every replica with the broken version.',
    remediation:
      'Set deploy.update_config.failure_action: rollback and a monitor at least as long as the service needs to show a failure (start plus healthcheck interval × retries, for example monitor: 60s), and consider order: start-first so capacity never drops during the update.',
    tags: ['swarm', 'rollout'],
  },
  check(w, ctx) {
    if (w.composeOnly) return; // a docker compose file for local development, not a Swarm stack
    const s = w.service;
    if (!s || !w.longRunning || w.replicas === undefined || w.replicas < 2) return;
    const partial = w.partial === true; // a fragment of a multi-file deploy: only what it writes counts
    const deploy = isObject(s.deploy) ? s.deploy : {};
    const update = isObject(deploy.update_config) ? deploy.update_config : undefined;
    const base: Path = [...w.path, 'deploy', 'update_config'];
    const reasons: string[] = [];
    let at: Path | undefined;
    const action = composeString(update?.failure_action);
    if (action !== 'rollback' && !(partial && action === undefined)) {
      reasons.push(
        action
          ? `failure_action is ${action}, so a failed update ${action === 'continue' ? 'carries on replacing replicas' : 'stops half done'} instead of rolling back`
          : 'failure_action is not set, so a failed update pauses half done (the default) instead of rolling back',
      );
      if (action) at = [...base, 'failure_action'];
    }
    if (composeString(update?.monitor) === undefined && !partial)
      reasons.push(
        `monitor is not set, so each new task is watched for only ${DEFAULT_MONITOR_SECONDS}s: a task that fails after that counts as updated`,
      );
    if (!reasons.length) return;
    ctx.report({
      path: at ?? (update ? base : [...w.path, 'deploy']),
      message: `service "${w.name}" runs ${w.replicas} replicas but its rolling update ${action === 'rollback' ? 'may not notice a broken task' : 'cannot undo itself'}: ${reasons.join('; ')}. Set update_config.failure_action: rollback and a monitor long enough for a broken task to show it (start_period plus healthcheck interval × retries, e.g. 60s).`,
    });
  },
});
