import { defineWorkloadRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';
import { serviceMounts } from '../../model/swarm-service.js';

/** The Docker Engine API socket, on Linux (also rootless and Desktop paths) and Windows. */
const SOCKET = /(^|\/)docker\.sock(\.raw)?\/?$|^(\\\\|\/\/)\.[\\/]pipe[\\/]docker_engine$/i;

export function isDockerSocket(p: string): boolean {
  return SOCKET.test(p.trim());
}

export default defineWorkloadRule({
  id: 'docker-socket-mount',
  meta: {
    severity: 'error',
    family: 'security',
    description: 'A container mounts the Docker socket (/var/run/docker.sock) from its host.',
    rationale:
      'Whoever can talk to the Docker socket is root on the node: one API call starts a privileged container with the host filesystem mounted. Mounting it read-only changes nothing, since the API is used over the socket, not by writing the file. A vulnerability in the service (a reverse proxy, a dashboard, a CI agent) becomes a takeover of the node and, on a Swarm manager, of the whole cluster and its secrets.',
    remediation:
      "Do not mount the socket into application services. Where a tool really needs the API (a reverse proxy reading labels, a monitoring agent), put a socket proxy in between that allows only the read-only endpoints it uses, pin it to specific nodes, and keep it off public networks. On Kubernetes, use the container runtime's own APIs or a DaemonSet built for that purpose.",
    tags: ['security', 'docker'],
    securitySeverity: 9.5,
    messages: {
      podMount:
        '{{subject}} mounts the Docker socket {{socket}} from the node{{users}}: control of it is root on the node',
      serviceMount: '{{subject}} mounts the Docker socket {{socket}}{{readOnly}}: control of it is root on the node',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  kubernetes(w, ctx) {
    const spec = w.podSpec;
    if (!spec || !Array.isArray(spec.volumes)) return;
    spec.volumes.forEach((v, i) => {
      if (
        !isObject(v) ||
        !isObject(v.hostPath) ||
        typeof v.hostPath.path !== 'string' ||
        !isDockerSocket(v.hostPath.path)
      )
        return;
      const name = typeof v.name === 'string' ? v.name : String(i);
      const users = w.containers.filter((c) => {
        const raw = c.path.reduce<unknown>(
          (o, seg) => (isObject(o) ? o[String(seg)] : Array.isArray(o) ? o[Number(seg)] : undefined),
          w.resource.value,
        );
        return (
          isObject(raw) &&
          Array.isArray(raw.volumeMounts) &&
          raw.volumeMounts.some((m) => isObject(m) && m.name === name)
        );
      });
      ctx.report({
        path: [...w.podSpecPath, 'volumes', i, 'hostPath', 'path'],
        messageId: 'podMount',
        data: {
          socket: v.hostPath.path,
          volume: name,
          users: users.length ? ` into ${users.map((c) => c.name).join(', ')}` : '',
        },
      });
    });
  },
  swarm(s, ctx) {
    for (const m of serviceMounts(s.service, s.path)) {
      if (m.type !== 'bind' && m.type !== 'npipe') continue;
      if (!m.source || !isDockerSocket(m.source)) continue;
      ctx.report({
        path: m.sourcePath,
        container: s.name,
        messageId: 'serviceMount',
        data: { socket: m.source, readOnly: m.readOnly ? ' (read-only does not limit the API)' : '' },
      });
    }
  },
});
