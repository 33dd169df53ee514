import { defineResourceRule } from '../../engine/rule.js';
import { removalOf } from '../../schema/deprecations.js';
import { DEFAULT_KUBE_VERSION } from '../../schema/kubernetes.js';

export default defineResourceRule({
  id: 'deprecated-api-version',
  meta: {
    severity: 'error',
    family: 'schema',
    platforms: ['kubernetes'],
    description:
      'An object uses an apiVersion that the selected Kubernetes version no longer serves (error), or that is deprecated and will be removed (warning).',
    rationale:
      'A removed API version fails at apply time with "no matches for kind": the object, and with ArgoCD or Flux often the whole sync, is never applied. It typically surfaces in the middle of a cluster upgrade, when manifests that worked for years stop working all at once.',
    remediation:
      'Move the object to the replacement API version named in the message, and adapt the fields that changed (the Kubernetes deprecation guide lists them). Select the version of your cluster with --kube-version or kubeVersion: in .shipshape.yaml.',
    tags: ['schema', 'upgrade'],
  },
  check(r, ctx) {
    if (!r.apiVersion) return;
    const version = ctx.schemas?.kubeVersion ?? DEFAULT_KUBE_VERSION;
    const hit = removalOf(r.apiVersion, r.kind, version);
    if (!hit) return;
    const { entry } = hit;
    if (hit.removed) {
      ctx.report({
        path: ['apiVersion'],
        message: `${r.apiVersion} ${r.kind} was removed in Kubernetes ${entry.removedIn} (deprecated since ${entry.deprecatedIn}): a ${version} cluster rejects it with "no matches for kind". Use ${entry.replacement}.`,
      });
    } else {
      const until = entry.removedIn
        ? `; it stops being served in ${entry.removedIn}, so the upgrade to ${entry.removedIn} breaks this manifest`
        : ' (still served, with a warning on every apply)';
      ctx.report({
        path: ['apiVersion'],
        severity: 'warning',
        message: `${r.apiVersion} ${r.kind} is deprecated since Kubernetes ${entry.deprecatedIn}${until}. Move to ${entry.replacement}.`,
      });
    }
  },
});
