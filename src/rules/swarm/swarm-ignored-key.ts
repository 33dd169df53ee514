import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { composeString } from '../../model/compose-values.js';
import type { Path, Severity } from '../../model/types.js';
import { IGNORED_SERVICE_KEYS } from './lib/docker-keys.js';

/** `[ip:]published:target[/proto]`: the host IP of a short port syntax, when there is one. */
export function portHostIp(spec: string): string | undefined {
  const s = spec.split('/')[0] ?? spec;
  const v6 = /^\[([0-9A-Fa-f:.]+)\]:/.exec(s);
  if (v6) return v6[1];
  const parts = s.split(':');
  return parts.length === 3 ? parts[0] : undefined;
}

/** How Docker maps a `restart` value when deploy.restart_policy is absent (convertRestartPolicy). */
function restartMessage(value: string | undefined, hasPolicy: boolean): { severity: Severity; text: string } {
  if (hasPolicy)
    return {
      severity: 'note',
      text: 'restart is ignored because deploy.restart_policy is set; remove it so nobody reads the wrong one',
    };
  if (value === undefined)
    return {
      severity: 'note',
      text: 'restart depends on a variable; without deploy.restart_policy docker stack deploy uses it as the restart condition. Write deploy.restart_policy instead',
    };
  const v = value.split(':')[0];
  if (v === 'no' || v === '')
    return {
      severity: 'warning',
      text: 'restart: "no" does not stop Swarm from restarting the task: without deploy.restart_policy the condition stays "any". Set deploy.restart_policy.condition: none (or on-failure) if that is what you mean',
    };
  const mapped = v === 'on-failure' ? 'on-failure' : 'any';
  return {
    severity: 'note',
    text: `docker stack deploy prints "Ignoring unsupported options: restart" but, with no deploy.restart_policy, it does use it: restart: ${value} becomes restart_policy.condition: ${mapped}. Write deploy.restart_policy.condition: ${mapped} to say what happens`,
  };
}

export default defineWorkloadRule({
  id: 'swarm-ignored-key',
  meta: {
    severity: 'error',
    family: 'swarm',
    platforms: ['swarm'],
    description: 'A stack file uses a key that docker stack deploy accepts and then ignores.',
    rationale:
      'docker stack deploy drops build, privileged, security_opt, devices, network_mode, links, shm_size and others with one easily missed line ("Ignoring unsupported options"), and container_name, expose and the short form of depends_on without a word. The author believes in a protection (security_opt: no-new-privileges) or a behaviour (restart: "no", startup order) that the running service does not have. Most findings are warnings (notes when nothing is lost but the key, such as build); a published port bound to a host IP (127.0.0.1:8080:80) is an error, because Swarm drops the IP and publishes the port on every interface of every node: what was meant to stay local is exposed.',
    remediation:
      'Remove the key, or use the Swarm way of getting the same thing (deploy.restart_policy, deploy.resources, a tmpfs mount for /dev/shm, overlay networks instead of links). Keep a published port off the internet with a firewall or mode: host plus a placement constraint, or do not publish it and reach it over an overlay network.',
    tags: ['swarm', 'compose'],
  },
  check(w, ctx) {
    if (w.composeOnly) return; // a docker compose file for local development, not a Swarm stack
    const s = w.service;
    if (!s) return;
    const at = (...p: Path): Path => [...w.path, ...p];
    const deploy = isObject(s.deploy) ? s.deploy : {};
    for (const key of Object.keys(s)) {
      const entry = Object.hasOwn(IGNORED_SERVICE_KEYS, key) ? IGNORED_SERVICE_KEYS[key] : undefined; // not `constructor`'s
      if (!entry) continue;
      if (key === 'restart') {
        const r = restartMessage(composeString(s.restart), isObject(deploy.restart_policy));
        ctx.report({ path: at('restart'), severity: r.severity, message: `service "${w.name}": ${r.text}.` });
        continue;
      }
      if (key === 'privileged' && s.privileged !== true) continue;
      ctx.report({
        path: at(key),
        severity: entry.severity,
        message: `service "${w.name}": ${key} is ignored by docker stack deploy: ${entry.what}.`,
      });
    }
    if (Array.isArray(s.depends_on) && s.depends_on.length) {
      ctx.report({
        path: at('depends_on'),
        severity: 'note',
        message: `service "${w.name}": depends_on is accepted by docker stack deploy without a warning and never enforced: Swarm starts all services at once and restarts them in any order. The service must retry its dependencies until they answer.`,
      });
    }
    if (Array.isArray(s.ports)) {
      s.ports.forEach((p, i) => {
        // `${HTTP_PORT:-8080}:8080` is read after interpolation (its default), as docker stack deploy does; a
        // variable without default decides the value at deploy time.
        const spec = typeof p === 'string' ? composeString(p) : undefined;
        if (spec === undefined) return;
        const ip = portHostIp(spec);
        if (!ip || ip === '0.0.0.0' || ip === '::') return;
        ctx.report({
          path: at('ports', i),
          severity: 'error',
          message: `service "${w.name}": port "${p}" is bound to ${ip}, but docker stack deploy drops the host IP ("ignoring IP-address … service will listen on 0.0.0.0"): the port is published on every interface of every node, through the routing mesh. What was meant to stay local is exposed. Do not publish it (reach it over an overlay network), or firewall it.`,
        });
      });
    }
  },
});
