import { defineResourceRule, type RuleContext } from '../../engine/rule.js';
import type { ResourceIndex } from '../../engine/resource-index.js';
import { isComposeOnly } from '../../model/swarm-service.js';
import type { Path, Resource } from '../../model/types.js';
import { crdJsonSchema, indexCrds, type CrdSchema } from '../../schema/crd.js';
import { validateKube } from '../../schema/kube-validate.js';
import { apiGroup, isKubernetesGroup } from '../../model/kinds.js';
import { DEPRECATIONS } from '../../schema/deprecations.js';
import { modelFor, type KubeBundle } from '../../schema/kubernetes.js';
import { hasSchema, type SchemaSources } from '../../schema/sources.js';
import { SchemaValidator, withoutNulls, type SchemaProblem } from '../../schema/validate.js';

interface Options {
  strictKinds: boolean;
}

interface State {
  validator: SchemaValidator;
  crds: WeakMap<ResourceIndex, Map<string, CrdSchema>>;
}

type Ctx = RuleContext<Options, State>;

/**
 * Where swarm-unsupported-key and swarm-invalid-value already judge a stack file (docker stack deploy is stricter
 * than the Compose Specification there): unknown keys at these levels (in stack files only: swarm-unsupported-key
 * leaves docker compose files alone), the type of durations, the deploy enums.
 */
const SWARM_KEY_LEVELS = [
  /^$/,
  /^(secrets|configs)\/[^/]+$/,
  /^services\/[^/]+$/,
  /^services\/[^/]+\/(healthcheck|deploy|deploy\/resources|deploy\/resources\/(limits|reservations)|ports\/\d+)$/,
];
const SWARM_DURATIONS =
  /^services\/[^/]+\/(healthcheck\/(interval|timeout|start_period|start_interval)|deploy\/(update_config|rollback_config)\/(delay|monitor)|deploy\/restart_policy\/(delay|window)|stop_grace_period)$/;
const SWARM_ENUMS =
  /^services\/[^/]+\/deploy\/(mode|endpoint_mode|(update_config|rollback_config)\/(failure_action|order)|restart_policy\/condition)$/;

export default defineResourceRule<Options, State>({
  id: 'schema-invalid',
  meta: {
    severity: 'error',
    family: 'schema',
    description:
      'An object does not match its schema: the Kubernetes OpenAPI schema of the selected version (with the closed value sets, integer ranges and exclusive fields the API server validates on top of it, and built-in kinds only under their own API group), the CRD of a custom resource found in the input, or the Compose Specification for stack files.',
    rationale:
      'A typo (`replica: 3`), a quoted number (`replicas: "3"`), a missing required field, an unknown enum value (`whenUnsatisfiable: ScheduleAnyWay`, `scheme: http`), a value out of range (`maxSkew: 0`, `failureThreshold: 0`), a PodDisruptionBudget with both minAvailable and maxUnavailable, or a built-in kind under another API group (`apiVersion: v1` with `kind: PodDisruptionBudget`: "no matches for kind") makes kubectl apply, an ArgoCD or Flux sync, or docker stack deploy fail, often for the whole batch of objects, and only at deploy time. With validation turned off the API server silently drops unknown fields instead, so the setting you wrote never takes effect.',
    remediation:
      'Fix the field at the reported line: rename it (the closest known name is suggested), write the value with the right type (numbers unquoted, booleans as true/false, quantities like 512Mi), or add the missing field. Pick the schemas of your cluster with --kube-version or kubeVersion: in .shipshape.yaml.',
    tags: ['schema', 'validation'],
    messages: {
      invalid: '{{problem:150}}',
      composeInvalid: '{{problem:150}}',
      wrongGroup: '{{subject}}: {{kind}} is not served under {{apiVersion}} ("no matches for kind"); use {{served}}',
      noSchema: '{{subject}}: no schema for {{apiVersion}} {{kind}}, so it was not validated (--strict-kinds)',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        strictKinds: {
          type: 'boolean',
          description:
            'Report Kubernetes objects whose kind has no schema (neither built in nor a CRD in the input) instead of skipping them (the CLI flag --strict-kinds).',
        },
      },
    },
    defaults: { strictKinds: false },
  },
  setup: () => ({ validator: new SchemaValidator(), crds: new WeakMap() }),
  swarm(r, ctx) {
    if (r.kind === 'Stack' && ctx.schemas?.compose) checkStack(r, ctx.schemas, ctx);
  },
  kubernetes(r, ctx) {
    const sources = ctx.schemas;
    if (!sources || !r.apiVersion) return;
    const bundle = sources.kubernetes;
    const model = bundle && modelFor(bundle, r.apiVersion, r.kind);
    const role = sources.kustomize?.get(r.file.absPath);
    const report = (problems: SchemaProblem[]): void => {
      for (const p of problems) {
        // kustomize completes these files: a patch is partial, commonLabels write the selector.
        if (p.keyword === 'required' && (role === 'patch' || (role === 'labeled' && p.missing === 'selector')))
          continue;
        ctx.report({ path: p.path, messageId: 'invalid', data: { problem: p.message } });
      }
    };
    const hide = (p: Path): boolean => r.kind === 'Secret' || p.includes('env');
    if (bundle && model) {
      report(validateKube(bundle, model, r.value, r.kind, { hideValues: hide }));
      return;
    }
    const crds = crdsOf(ctx);
    const crd = crds.get(`${r.apiVersion}/${r.kind}`);
    if (bundle && !crd) {
      const served = wrongGroup(bundle, r.apiVersion, r.kind);
      if (served) {
        ctx.report({
          path: ['apiVersion'],
          messageId: 'wrongGroup',
          data: { kind: r.kind, apiVersion: r.apiVersion, served: served.join(' or ') },
        });
        return;
      }
    }
    if (crd) {
      const instances = (): unknown[] =>
        ctx.index.resources
          .filter((x) => x.apiVersion === r.apiVersion && x.kind === r.kind)
          .map((x) => withoutNulls(x.value));
      const fn = ctx.state.validator.validator(
        `crd/${crd.crd.key}/${r.apiVersion}/${r.kind}`,
        () => crdJsonSchema(crd, instances()),
        sources.createAjv,
      );
      if (fn instanceof Error) return;
      report(ctx.state.validator.validate(fn, withoutNulls(r.value), r.kind, { hideValues: hide }));
      return;
    }
    if (ctx.options.strictKinds && hasSchema(r, sources, crds) === 'no')
      ctx.report({ path: ['kind'], messageId: 'noSchema', data: { apiVersion: r.apiVersion, kind: r.kind } });
  },
});

/**
 * The apiVersions that serve a built-in kind, when this object puts it in another API group of Kubernetes itself
 * (`v1` PodDisruptionBudget, `apps/v1` Service); undefined when the group is right (a version problem is
 * deprecated-api-version's) or belongs to someone else (a CRD may define a kind of the same name there).
 */
function wrongGroup(bundle: KubeBundle, apiVersion: string, kind: string): string[] | undefined {
  const group = apiGroup(apiVersion);
  if (!isKubernetesGroup(group) || DEPRECATIONS.some((d) => d.apiVersion === apiVersion && d.kinds.includes(kind)))
    return undefined;
  const served = Object.keys(bundle.kinds)
    .filter((k) => k.slice(k.lastIndexOf('/') + 1) === kind)
    .map((k) => k.slice(0, k.lastIndexOf('/')));
  if (!served.length || served.some((v) => apiGroup(v) === group)) return undefined;
  return served;
}

function crdsOf(ctx: Ctx): Map<string, CrdSchema> {
  let crds = ctx.state.crds.get(ctx.index);
  if (!crds) {
    crds = indexCrds(ctx.index.resources);
    ctx.state.crds.set(ctx.index, crds);
  }
  return crds;
}

function checkStack(r: Resource, sources: SchemaSources, ctx: Ctx): void {
  const fn = sources.compose!;
  const hide = (p: Path): boolean => p.includes('environment') || p.includes('secrets');
  const stack = !isComposeOnly(r);
  for (const p of ctx.state.validator.validate(fn, r.value, '', { hideValues: hide })) {
    const at = p.path.join('/');
    const parent = p.path.slice(0, -1).join('/');
    if (stack && p.keyword === 'additionalProperties' && SWARM_KEY_LEVELS.some((re) => re.test(parent))) continue;
    if (p.keyword === 'type' && SWARM_DURATIONS.test(at)) continue;
    if (p.keyword === 'enum' && SWARM_ENUMS.test(at)) continue;
    ctx.report({ path: p.path, messageId: 'composeInvalid', data: { problem: p.message } });
  }
}
