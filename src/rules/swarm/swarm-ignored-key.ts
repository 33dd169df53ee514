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
function restartFinding(
  value: string | undefined,
  hasPolicy: boolean,
): { severity: Severity; messageId: string; data?: Record<string, string> } {
  if (hasPolicy) return { severity: 'note', messageId: 'restartWithPolicy' };
  if (value === undefined) return { severity: 'note', messageId: 'restartVariable' };
  const v = value.split(':')[0];
  if (v === 'no' || v === '') return { severity: 'warning', messageId: 'restartNo' };
  return {
    severity: 'note',
    messageId: 'restartMapped',
    data: { value, mapped: v === 'on-failure' ? 'on-failure' : 'any' },
  };
}

export default defineWorkloadRule({
  id: 'swarm-ignored-key',
  meta: {
    severity: 'error',
    family: 'swarm',
    description: 'A stack file uses a key that docker stack deploy accepts and then ignores.',
    rationale:
      'docker stack deploy drops build, privileged, security_opt, devices, network_mode, links, shm_size and others with one easily missed line ("Ignoring unsupported options"), and container_name, expose and the short form of depends_on without a word. The author believes in a protection (security_opt: no-new-privileges) or a behaviour (restart: "no", startup order) that the running service does not have. Most findings are warnings (notes when nothing is lost but the key, such as build); a published port bound to a host IP (127.0.0.1:8080:80) is an error, because Swarm drops the IP and publishes the port on every interface of every node: what was meant to stay local is exposed.',
    remediation:
      'Remove the key, or use the Swarm way of getting the same thing (deploy.restart_policy, deploy.resources, a tmpfs mount for /dev/shm, overlay networks instead of links). Keep a published port off the internet with a firewall or mode: host plus a placement constraint, or do not publish it and reach it over an overlay network.',
    tags: ['swarm', 'compose'],
    messages: {
      ignored: '{{subject}}: {{key}} is ignored by docker stack deploy',
      restartWithPolicy: '{{subject}}: restart is ignored, since deploy.restart_policy is set',
      restartVariable:
        '{{subject}}: restart depends on a variable, and sets the restart condition without deploy.restart_policy',
      restartNo: '{{subject}}: restart: "no" does not stop Swarm from restarting the task (the condition stays any)',
      restartMapped: '{{subject}}: restart: {{value}} becomes deploy.restart_policy.condition: {{mapped}}',
      dependsOn: '{{subject}}: depends_on is never enforced by Swarm: services start and restart in any order',
      portHostIp: '{{subject}}: port "{{port}}" is bound to {{ip}}, but Swarm publishes it on every interface',
    },
  },
  applies: { platforms: ['swarm'], skip: ['compose-only'] },
  swarm(s, ctx) {
    const service = s.service;
    const at = (...p: Path): Path => [...s.path, ...p];
    const deploy = isObject(service.deploy) ? service.deploy : {};
    for (const key of Object.keys(service)) {
      const entry = Object.hasOwn(IGNORED_SERVICE_KEYS, key) ? IGNORED_SERVICE_KEYS[key] : undefined; // not `constructor`'s
      if (!entry) continue;
      if (key === 'restart') {
        ctx.report({
          path: at('restart'),
          ...restartFinding(composeString(service.restart), isObject(deploy.restart_policy)),
        });
        continue;
      }
      if (key === 'privileged' && service.privileged !== true) continue;
      // What is lost with each key is in the rule's documentation (docker-keys.ts); it still tells keys apart here.
      ctx.report({ path: at(key), severity: entry.severity, messageId: 'ignored', data: { key, what: entry.what } });
    }
    if (Array.isArray(service.depends_on) && service.depends_on.length)
      ctx.report({ path: at('depends_on'), severity: 'note', messageId: 'dependsOn' });
    if (Array.isArray(service.ports)) {
      service.ports.forEach((p, i) => {
        // `${HTTP_PORT:-8080}:8080` is read after interpolation (its default), as docker stack deploy does; a
        // variable without default decides the value at deploy time.
        const spec = typeof p === 'string' ? composeString(p) : undefined;
        if (spec === undefined) return;
        const ip = portHostIp(spec);
        if (!ip || ip === '0.0.0.0' || ip === '::') return;
        ctx.report({ path: at('ports', i), severity: 'error', messageId: 'portHostIp', data: { port: String(p), ip } });
      });
    }
  },
});
