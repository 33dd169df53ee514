import { defineWorkloadRule } from '../../engine/rule.js';

export default defineWorkloadRule({
  id: 'service-account-token-automount',
  meta: {
    severity: 'note',
    strictSeverity: 'note',
    offByDefault: true,
    family: 'security',
    description:
      'A pod mounts a ServiceAccount token it shows no use for: automountServiceAccountToken is not false and no binding of the input grants its ServiceAccount a role.',
    rationale:
      'Every pod gets an API token mounted at /var/run/secrets/kubernetes.io/serviceaccount unless the pod or its ServiceAccount says automountServiceAccountToken: false. For a pod that never calls the API the token is only a gift to an attacker who gets a shell in it: it authenticates to the API server, and whatever the default ServiceAccount is granted today or later comes with it. Off by default (most manifests never say it; the corpus gives hundreds of notes), a note in the strict preset.',
    remediation:
      'Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount). A pod that calls the API should run as its own ServiceAccount with a RoleBinding that says what it may do.',
    tags: ['security', 'rbac'],
    messages: {
      unusedToken:
        '{{subject}} mounts the API token of ServiceAccount {{account}}, which no binding here grants a role',
    },
  },
  applies: { platforms: ['kubernetes'], skip: ['kustomize-patch'] },
  kubernetes(w, ctx) {
    const spec = w.podSpec;
    if (!spec) return;
    if (spec.automountServiceAccountToken === false) return;
    const name =
      typeof spec.serviceAccountName === 'string'
        ? spec.serviceAccountName
        : typeof spec.serviceAccount === 'string'
          ? spec.serviceAccount
          : 'default';
    // The pod's own setting wins; without one, the ServiceAccount's applies.
    if (spec.automountServiceAccountToken === undefined) {
      const accounts = ctx.index.objectsNamed('ServiceAccount', name, w.namespace);
      if (accounts.some((a) => a.value.automountServiceAccountToken === false)) return;
    }
    // A ServiceAccount with a role is one the pod uses to call the API.
    if (ctx.index.serviceAccountBound(name, w.namespace)) return;
    const explicit = spec.automountServiceAccountToken === true;
    ctx.report({
      path: [...w.podSpecPath, explicit ? 'automountServiceAccountToken' : 'serviceAccountName'],
      messageId: 'unusedToken',
      data: { account: name },
    });
  },
});
