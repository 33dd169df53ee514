import { defineWorkloadRule } from '../../engine/rule.js';
import { SYSTEM_NAMESPACES, systemNamespaceOption, type SystemNamespaceOptions } from './lib/system-namespaces.js';
import { isObject } from '../../model/json.js';
import { valueAt as dig } from '../../model/path.js';

export default defineWorkloadRule<SystemNamespaceOptions>({
  id: 'privileged-container',
  meta: {
    severity: 'error',
    family: 'security',
    platforms: ['kubernetes'],
    description: 'A container runs privileged (securityContext.privileged: true).',
    rationale:
      'A privileged container has every capability and every device of the node: a bug or a compromised dependency in it is root on the node, with the kubelet credentials and every other pod there. It also bypasses the isolation that keeps a runaway container from breaking the node for its neighbours. (Swarm: `privileged` is ignored by docker stack deploy, which swarm-ignored-key reports.)',
    remediation:
      'Remove privileged: true and add only the capabilities the process needs (securityContext.capabilities.add), or move node-level work to a dedicated, reviewed DaemonSet. Sysctls can be set through the pod securityContext.sysctls instead of a privileged init container.',
    tags: ['security', 'isolation'],
    securitySeverity: 8.5,
  },
  options: {
    schema: { type: 'object', additionalProperties: false, properties: { ignoreNamespaces: systemNamespaceOption } },
    defaults: { ignoreNamespaces: SYSTEM_NAMESPACES },
  },
  check(w, ctx) {
    if (
      w.platform !== 'kubernetes' ||
      (w.namespace !== undefined && ctx.options.ignoreNamespaces.includes(w.namespace))
    )
      return;
    for (const c of w.containers) {
      const raw = dig(w.resource.value, c.path);
      const sc = isObject(raw) && isObject(raw.securityContext) ? raw.securityContext : undefined;
      if (!sc || sc.privileged !== true) continue;
      ctx.report({
        path: [...c.path, 'securityContext', 'privileged'],
        container: c.name,
        message: `${c.init ? 'init container' : 'container'} "${c.name}" of ${w.kind} "${w.name}" runs privileged: it has every capability and device of the node, so a compromise of it is root on the node and every pod there. Drop privileged and add only the capabilities it needs.`,
      });
    }
  },
});
