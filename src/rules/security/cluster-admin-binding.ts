import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';

export default defineResourceRule({
  id: 'cluster-admin-binding',
  meta: {
    severity: 'warning',
    family: 'security',
    description: 'A ClusterRoleBinding or RoleBinding grants the cluster-admin ClusterRole.',
    rationale:
      'cluster-admin is every verb on every resource: whoever holds the bound subject (a ServiceAccount token mounted in a pod, a group) owns the cluster, its Secrets and its nodes. A RoleBinding limits it to one namespace, where it still reads every Secret and can rewrite every workload.',
    remediation:
      'Bind a ClusterRole or Role that lists what the subject needs. For people, bind the built-in admin, edit or view roles per namespace.',
    tags: ['security', 'rbac'],
    securitySeverity: 8.0,
    messages: {
      grants: '{{subject}} grants cluster-admin{{to:90}}',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  check(r, ctx) {
    if (!(r.apiVersion ?? '').startsWith('rbac.authorization.k8s.io/')) return;
    const ref = r.value.roleRef;
    if (!isObject(ref) || ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return;
    const subjects = Array.isArray(r.value.subjects) ? r.value.subjects.filter(isObject) : [];
    const who = subjects
      .slice(0, 2)
      .map((s) => `${String(s.kind)} "${String(s.name)}"`)
      .join(', ');
    ctx.report({
      path: ['roleRef', 'name'],
      messageId: 'grants',
      data: { to: who ? ` to ${who}${subjects.length > 2 ? ` and ${subjects.length - 2} more` : ''}` : '' },
    });
  },
});
