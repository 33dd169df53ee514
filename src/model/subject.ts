import type { Resource, Workload } from './types.js';

/**
 * The one wording of what a finding is about, for the `{{subject}}` of messages: `Deployment shop/api, container api`
 * (namespace/name when the namespace is known), `service api` for a Swarm service (its one container is the service).
 */
export function subjectOf(target: Resource | Workload, container?: string): string {
  if ('resource' in target) {
    if (target.platform === 'swarm') return `service ${clip(target.name)}`;
    return `${target.kind} ${qualified(target.namespace, target.name)}${container ? `, container ${clip(container)}` : ''}`;
  }
  return resourceSubject(target, container);
}

/** An object as a subject; a path under `services.<name>` of a stack file is that service. */
export function resourceSubject(r: Resource, container?: string, service?: string): string {
  if (service !== undefined) return `service ${clip(service)}`;
  if (r.kind === 'Stack') return 'stack file';
  if (r.kind === 'EnvFile') return 'env file';
  const name = r.name === undefined ? r.kind : `${r.kind} ${qualified(r.namespace, r.name)}`;
  return `${name}${container ? `, container ${clip(container)}` : ''}`;
}

function qualified(namespace: string | undefined, name: string): string {
  return namespace ? `${clip(namespace)}/${clip(name)}` : clip(name);
}

/** Input text (a name, an image, a key) shortened in the middle to `max` characters, so a message stays on one line. */
export function clip(s: string, max = 32): string {
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
}
