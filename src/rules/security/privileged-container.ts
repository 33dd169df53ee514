import { defineWorkloadRule } from '../../engine/rule.js';
import { SYSTEM_NAMESPACES, systemNamespaceOption, type SystemNamespaceOptions } from './lib/system-namespaces.js';
import { isObject } from '../../model/json.js';
import { valueAt as dig } from '../../model/path.js';

export default defineWorkloadRule<SystemNamespaceOptions>({
  id: 'privileged-container',
  meta: {
    severity: 'error',
    family: 'security',
    description: 'A container runs privileged (securityContext.privileged: true).',
    rationale:
      'A privileged container has every capability and every device of the node: a bug or a compromised dependency in it is root on the node, with the kubelet credentials and every other pod there. It also bypasses the isolation that keeps a runaway container from breaking the node for its neighbours. (Swarm: `privileged` is ignored by docker stack deploy, which swarm-ignored-key reports.)',
    remediation:
      'Remove privileged: true and add only the capabilities the process needs (securityContext.capabilities.add), or move node-level work to a dedicated, reviewed DaemonSet. Sysctls can be set through the pod securityContext.sysctls instead of a privileged init container.',
    tags: ['security', 'isolation'],
    securitySeverity: 8.5,
    messages: {
      privileged: '{{subject}} runs privileged: a compromise of it is root on the node',
    },
  },
  applies: { platforms: ['kubernetes'] },
  options: {
    schema: { type: 'object', additionalProperties: false, properties: { ignoreNamespaces: systemNamespaceOption } },
    defaults: { ignoreNamespaces: SYSTEM_NAMESPACES },
  },
  kubernetes(w, ctx) {
    if (w.namespace !== undefined && ctx.options.ignoreNamespaces.includes(w.namespace)) return;
    for (const c of w.containers) {
      const raw = dig(w.resource.value, c.path);
      const sc = isObject(raw) && isObject(raw.securityContext) ? raw.securityContext : undefined;
      if (!sc || sc.privileged !== true) continue;
      ctx.report({
        path: [...c.path, 'securityContext', 'privileged'],
        container: c.name,
        messageId: 'privileged',
        data: { init: c.init ? 'init' : '' },
      });
    }
  },
});
