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
    platforms: ['kubernetes', 'swarm'],
    description: 'A container mounts the Docker socket (/var/run/docker.sock) from its host.',
    rationale:
      'Whoever can talk to the Docker socket is root on the node: one API call starts a privileged container with the host filesystem mounted. Mounting it read-only changes nothing, since the API is used over the socket, not by writing the file. A vulnerability in the service (a reverse proxy, a dashboard, a CI agent) becomes a takeover of the node and, on a Swarm manager, of the whole cluster and its secrets.',
    remediation:
      "Do not mount the socket into application services. Where a tool really needs the API (a reverse proxy reading labels, a monitoring agent), put a socket proxy in between that allows only the read-only endpoints it uses, pin it to specific nodes, and keep it off public networks. On Kubernetes, use the container runtime's own APIs or a DaemonSet built for that purpose.",
    tags: ['security', 'docker'],
    securitySeverity: 9.5,
  },
  check(w, ctx) {
    if (w.platform === 'swarm') {
      if (!w.service) return;
      for (const m of serviceMounts(w.service, w.path)) {
        if (m.type !== 'bind' && m.type !== 'npipe') continue;
        if (!m.source || !isDockerSocket(m.source)) continue;
        ctx.report({
          path: m.sourcePath,
          container: w.name,
          message: `service "${w.name}" mounts the Docker socket ${m.source}${m.readOnly ? ' (read-only, which does not limit the API)' : ''}: anyone who controls this service is root on the node and, on a manager, of the whole swarm. Put a socket proxy that allows only the endpoints it needs in between, or remove the mount.`,
        });
      }
      return;
    }
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
      const who = users.length
        ? ` into container${users.length > 1 ? 's' : ''} ${users.map((c) => `"${c.name}"`).join(', ')}`
        : '';
      ctx.report({
        path: [...w.podSpecPath, 'volumes', i, 'hostPath', 'path'],
        message: `${w.kind} "${w.name}" mounts the Docker socket ${v.hostPath.path} from the node (volume "${name}")${who}: anyone who controls this pod is root on the node. Remove the hostPath, or use a socket proxy that allows only the endpoints it needs.`,
      });
    });
  },
});
