import type { Resource, Workload } from './types.js';

/**
 * The one wording of what a finding is about, for the `{{subject}}` of messages: `Deployment shop/api, container api`
 * (namespace/name when the namespace is known), `service api` for a Swarm service (its one container is the service).
 */
export function subjectOf(target: Resource | Workload, container?: string, max = 32): string {
  if ('resource' in target) {
    if (target.platform === 'swarm') return `service ${clip(target.name, max)}`;
    // A container named like its workload (the usual single-container pod) is not named twice.
    const own = container && container !== target.name ? `, container ${clip(container, max)}` : '';
    return `${target.kind} ${qualified(target.namespace, target.name, max)}${own}`;
  }
  return resourceSubject(target, container, undefined, max);
}

/** An object as a subject; a path under `services.<name>` of a stack file is that service. */
export function resourceSubject(r: Resource, container?: string, service?: string, max = 32): string {
  if (service !== undefined) return `service ${clip(service, max)}`;
  if (r.kind === 'Stack') return 'stack file';
  if (r.kind === 'EnvFile') return 'env file';
  const name = r.name === undefined ? r.kind : `${r.kind} ${qualified(r.namespace, r.name, max)}`;
  return `${name}${container && container !== r.name ? `, container ${clip(container, max)}` : ''}`;
}

function qualified(namespace: string | undefined, name: string, max: number): string {
  return namespace ? `${clip(namespace, max)}/${clip(name, max)}` : clip(name, max);
}

/** Input text (a name, an image, a key) shortened in the middle to `max` characters, so a message stays on one line. */
export function clip(s: string, max = 32): string {
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
}
