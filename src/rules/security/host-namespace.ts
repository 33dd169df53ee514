import { defineWorkloadRule } from '../../engine/rule.js';
import { SYSTEM_NAMESPACES, systemNamespaceOption, type SystemNamespaceOptions } from './lib/system-namespaces.js';
import { isObject } from '../../model/json.js';
import type { JsonObject, Path, Resource } from '../../model/types.js';

const FIELDS = [
  ['hostNetwork', 'network'],
  ['hostPID', 'process table'],
  ['hostIPC', 'IPC namespace'],
] as const;

/** Names under which a stack's top-level `networks` refers to Docker's predefined `host` network. */
function hostNetworkKeys(stack: Resource): Set<string> {
  const out = new Set<string>();
  const nets = isObject(stack.value.networks) ? stack.value.networks : {};
  for (const [key, def] of Object.entries(nets)) {
    const d: JsonObject = isObject(def) ? def : {};
    const external = d.external === true || isObject(d.external);
    const name =
      typeof d.name === 'string'
        ? d.name
        : isObject(d.external) && typeof d.external.name === 'string'
          ? d.external.name
          : key;
    if (external && name === 'host') out.add(key);
  }
  return out;
}

export default defineWorkloadRule<SystemNamespaceOptions>({
  id: 'host-namespace',
  meta: {
    severity: 'warning',
    family: 'security',
    description:
      "A pod shares the node's network, process or IPC namespace (hostNetwork, hostPID, hostIPC; Swarm: the `host` network).",
    rationale:
      'Sharing a host namespace removes the isolation between the container and the node: with hostNetwork it binds node ports (and collides with other pods on the same port, so replicas cannot share a node), with hostPID it sees and can signal every process, with hostIPC it reads shared memory. A compromise of the container becomes a compromise of the node. (Swarm: `network_mode: host` is ignored by docker stack deploy and reported by swarm-ignored-key; attaching the external `host` network is what takes effect.)',
    remediation:
      'Remove hostNetwork/hostPID/hostIPC and expose the ports through a Service (Swarm: publish ports through the ingress network). Keep host namespaces to node agents that need them, reviewed and suppressed with a reason.',
    tags: ['security', 'isolation'],
    securitySeverity: 7.0,
    messages: {
      hostField: '{{subject}} sets {{field}}: true and shares the node {{what}}',
      hostNetwork: '{{subject}} joins network "{{network}}", Docker\'s host network: it shares the node network stack',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  options: {
    schema: { type: 'object', additionalProperties: false, properties: { ignoreNamespaces: systemNamespaceOption } },
    defaults: { ignoreNamespaces: SYSTEM_NAMESPACES },
  },
  kubernetes(w, ctx) {
    const spec = w.podSpec;
    if (!spec || (w.namespace !== undefined && ctx.options.ignoreNamespaces.includes(w.namespace))) return;
    for (const [field, what] of FIELDS) {
      if (spec[field] !== true) continue;
      ctx.report({ path: [...w.podSpecPath, field], messageId: 'hostField', data: { field, what } });
    }
  },
  swarm(s, ctx) {
    const host = hostNetworkKeys(s.resource);
    const nets = s.service.networks;
    const entries: [string, Path][] = Array.isArray(nets)
      ? nets.flatMap((n, i): [string, Path][] => (typeof n === 'string' ? [[n, [...s.path, 'networks', i]]] : []))
      : isObject(nets)
        ? Object.keys(nets).map((k): [string, Path] => [k, [...s.path, 'networks', k]])
        : [];
    for (const [network, path] of entries)
      if (host.has(network)) ctx.report({ path, container: s.name, messageId: 'hostNetwork', data: { network } });
  },
});
