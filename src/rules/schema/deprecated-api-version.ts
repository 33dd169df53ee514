import { defineResourceRule } from '../../engine/rule.js';
import { removalOf } from '../../schema/deprecations.js';
import { DEFAULT_KUBE_VERSION } from '../../schema/kubernetes.js';

/**
 * `apiVersion kind` → the version `--fix` moves it to: conversions that need no field change. policy/v1 PDBs read
 * the same fields (an empty selector now selects every pod in the namespace, so a PDB without one is left alone), and
 * autoscaling/v2 has the fields of v2beta2 unchanged.
 */
const LOSSLESS: Readonly<Record<string, string>> = {
  'policy/v1beta1 PodDisruptionBudget': 'policy/v1',
  'autoscaling/v2beta2 HorizontalPodAutoscaler': 'autoscaling/v2',
};

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
      'Move the object to the replacement API version named in the message (`shipshape --fix` does it for policy/v1beta1 PodDisruptionBudgets and autoscaling/v2beta2 HorizontalPodAutoscalers), and adapt the fields that changed (the Kubernetes deprecation guide lists them). Select the version of your cluster with --kube-version or kubeVersion: in .shipshape.yaml.',
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
    // Only where the object converts without a field change: the same schema under the new version.
    const spec = r.value.spec;
    const selector = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).selector : undefined;
    const emptySelector =
      r.kind === 'PodDisruptionBudget' &&
      (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0);
    const fix = emptySelector ? undefined : LOSSLESS[`${r.apiVersion} ${r.kind}`];
    const fixes = fix ? { fix: [{ op: 'set' as const, path: ['apiVersion'], value: fix }] } : {};
    const data = { apiVersion: r.apiVersion, replacement: entry.replacement, deprecatedIn: entry.deprecatedIn };
    if (hit.removed)
      ctx.report({
        path: ['apiVersion'],
        messageId: 'removed',
        ...fixes,
        data: { ...data, removedIn: entry.removedIn ?? '', kubeVersion: version },
      });
    else
      ctx.report({
        path: ['apiVersion'],
        severity: 'warning',
        messageId: 'deprecated',
        ...fixes,
        data: { ...data, until: entry.removedIn ? `, removed in ${entry.removedIn}` : ' (still served)' },
      });
  },
});
