import { defineResourceRule } from '../../engine/rule.js';
import { removalOf } from '../../schema/deprecations.js';
import { DEFAULT_KUBE_VERSION } from '../../schema/kubernetes.js';

export default defineResourceRule({
  id: 'deprecated-api-version',
  meta: {
    severity: 'error',
    family: 'schema',
    description:
      'An object uses an apiVersion that the selected Kubernetes version no longer serves (error), or that is deprecated and will be removed (warning).',
    rationale:
      'A removed API version fails at apply time with "no matches for kind": the object, and with ArgoCD or Flux often the whole sync, is never applied. It typically surfaces in the middle of a cluster upgrade, when manifests that worked for years stop working all at once.',
    remediation:
      'Move the object to the replacement API version named in the message, and adapt the fields that changed (the Kubernetes deprecation guide lists them). Select the version of your cluster with --kube-version or kubeVersion: in .shipshape.yaml.',
    tags: ['schema', 'upgrade'],
    messages: {
      removed:
        '{{subject}}: {{apiVersion}} was removed in {{removedIn}} ({{kubeVersion}} selected); use {{replacement}}',
      deprecated: '{{subject}}: {{apiVersion}} is deprecated since {{deprecatedIn}}{{until}}; use {{replacement}}',
    },
  },
  applies: { platforms: ['kubernetes'] },
  check(r, ctx) {
    if (!r.apiVersion) return;
    const version = ctx.schemas?.kubeVersion ?? DEFAULT_KUBE_VERSION;
    const hit = removalOf(r.apiVersion, r.kind, version);
    if (!hit) return;
    const { entry } = hit;
    const data = { apiVersion: r.apiVersion, replacement: entry.replacement, deprecatedIn: entry.deprecatedIn };
    if (hit.removed)
      ctx.report({
        path: ['apiVersion'],
        messageId: 'removed',
        data: { ...data, removedIn: entry.removedIn ?? '', kubeVersion: version },
      });
    else
      ctx.report({
        path: ['apiVersion'],
        severity: 'warning',
        messageId: 'deprecated',
        data: { ...data, until: entry.removedIn ? `, removed in ${entry.removedIn}` : ' (still served)' },
      });
  },
});
