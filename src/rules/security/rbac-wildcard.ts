import { defineResourceRule } from '../../engine/rule.js';
import { isObject } from '../../model/json.js';

export default defineResourceRule({
  id: 'rbac-wildcard',
  meta: {
    severity: 'warning',
    family: 'security',
    description: 'A Role or ClusterRole grants `*` verbs or `*` resources.',
    rationale:
      'A wildcard grants what exists today and everything added later: `*` verbs include escalate, bind and impersonate, `*` resources include secrets and every custom resource an operator installs next year. A compromised pod holding it can read every Secret in reach or grant itself more, and the grant is impossible to review because it names nothing.',
    remediation:
      'List the verbs (get, list, watch…) and resources the workload uses; `kubectl auth can-i --list --as system:serviceaccount:<ns>:<name>` and the audit log show what it calls.',
    tags: ['security', 'rbac'],
    securitySeverity: 6.0,
    messages: {
      wildcard: '{{subject}} grants {{verbs:60}} on {{resources:80}} (rules[{{index}}])',
    },
  },
  applies: { platforms: ['kubernetes'], kinds: ['Role', 'ClusterRole'] },
  check(r, ctx) {
    if (!(r.apiVersion ?? '').startsWith('rbac.authorization.k8s.io/')) return;
    const rules = r.value.rules;
    if (!Array.isArray(rules)) return;
    rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      const verbs = strings(rule.verbs);
      const resources = strings(rule.resources);
      const groups = strings(rule.apiGroups);
      const anyVerb = verbs.includes('*');
      // Reading every resource of a named add-on group (metrics.k8s.io, cilium.io) exposes no Secret and changes
      // nothing: only `*` resources in the core group, in every group, or with a verb that writes, is a wildcard grant.
      const anyResource =
        resources.includes('*') &&
        (anyVerb || groups.includes('') || groups.includes('*') || verbs.some((v) => !READ_ONLY.has(v)));
      if (!anyVerb && !anyResource) return;
      // The metrics APIs serve reads only: every verb there is get, list and watch.
      if (groups.length && groups.every((g) => METRICS_GROUPS.has(g))) return;
      const on = anyResource
        ? groups.includes('*')
          ? 'every resource in every API group'
          : `every resource of ${list(groups.map((g) => (g === '' ? 'core' : g)))}`
        : list(resources);
      ctx.report({
        path: ['rules', i, anyResource ? 'resources' : 'verbs', (anyResource ? resources : verbs).indexOf('*')],
        messageId: 'wildcard',
        data: { verbs: anyVerb ? 'every verb' : list(verbs), resources: on, index: i },
      });
    });
  },
});

const METRICS_GROUPS: ReadonlySet<string> = new Set([
  'metrics.k8s.io',
  'custom.metrics.k8s.io',
  'external.metrics.k8s.io',
]);

const READ_ONLY: ReadonlySet<string> = new Set(['get', 'list', 'watch']);

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function list(items: string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', ');
}
