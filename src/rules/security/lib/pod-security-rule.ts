import {
  defineWorkloadRule,
  type Report,
  type RuleContext,
  type RuleMeta,
  type WorkloadRule,
} from '../../../engine/rule.js';
import type { ResourceIndex } from '../../../engine/resource-index.js';
import { isObject } from '../../../model/json.js';
import type { KubernetesWorkload, Path, Platform, SwarmService, Workload } from '../../../model/types.js';
import { DEFAULT_KUBE_VERSION } from '../../../schema/kubernetes.js';
import { SYSTEM_NAMESPACES } from './system-namespaces.js';
import { podSecurityViolations, type Violation } from './pod-security-checks.js';
import {
  CONTROLS,
  isLevel,
  levelRank,
  policyMinor,
  PSA_LABEL_PREFIX,
  PSA_MODES,
  type ControlId,
  type PsaMode,
  type PssLevel,
} from './pod-security-standards.js';
import { swarmViolations } from './pod-security-swarm.js';

export interface PodSecurityOptions {
  /** The level checked where no namespace label says otherwise. */
  level: PssLevel;
  /** Policy version (`1.29`, `latest`); default: the run's Kubernetes version. */
  version?: string;
  ignoreNamespaces: string[];
}

export const podSecurityOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    level: {
      type: 'string',
      enum: ['privileged', 'baseline', 'restricted'],
      description:
        'The Pod Security Standard checked where the namespace has no pod-security.kubernetes.io labels (default baseline; podSecurity.level sets it for both rules).',
    },
    version: {
      type: 'string',
      pattern: '^(latest|v?1\\.\\d+(\\.\\d+)?)$',
      description: 'Version of the standard (such as "1.29" or "latest"; default: the Kubernetes version of the run).',
    },
    ignoreNamespaces: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Namespaces not checked: cluster components that need node access by design (default kube-system). A namespace labelled pod-security.kubernetes.io/enforce: privileged needs no entry.',
    },
  },
} as const;

/** What applies to a pod: the level, the policy version, and whether admission rejects what breaks it. */
interface Applied {
  level: PssLevel;
  minor: number;
  mode: PsaMode | 'config';
  namespace?: string;
}

/**
 * What a workload's namespace says (`pod-security.kubernetes.io/<mode>` labels on its Namespace object in the input or
 * the cluster), for a rule of `level`: the strictest mode at or above it, enforce first. Without labels: the config.
 */
function applied(w: Workload, index: ResourceIndex, opts: PodSecurityOptions, own: PssLevel, run: number): Applied[] {
  const ns = w.namespace;
  const object = ns !== undefined ? index.namespaceObject(ns, w.resource) : undefined;
  const labels = object?.labels ?? {};
  const modes = PSA_MODES.filter((m) => labels[`${PSA_LABEL_PREFIX}${m}`] !== undefined);
  if (ns !== undefined && object && modes.length) {
    for (const mode of PSA_MODES) {
      const raw = labels[`${PSA_LABEL_PREFIX}${mode}`];
      if (raw === undefined) continue;
      // Pod Security Admission reads a value it does not know as the strictest level and version.
      const level: PssLevel = isLevel(raw) ? raw : 'restricted';
      const minor = policyMinor(labels[`${PSA_LABEL_PREFIX}${mode}-version`], run) ?? run;
      if (levelRank(level) >= levelRank(own)) return [{ level, minor, mode, namespace: ns }];
    }
    return [];
  }
  if (levelRank(opts.level) < levelRank(own)) return [];
  return [{ level: opts.level, minor: policyMinor(opts.version, run) ?? run, mode: 'config' }];
}

/** Controls that a dedicated rule reports already (privileged-container, host-namespace): only where admission enforces. */
const DEDICATED: ReadonlySet<ControlId> = new Set(['privileged', 'hostNamespaces']);

export function runMinor(kubeVersion: string | undefined): number {
  return policyMinor(kubeVersion ?? DEFAULT_KUBE_VERSION, 0) ?? 0;
}

export function podSecurityRule(
  id: string,
  level: 'baseline' | 'restricted',
  platforms: readonly Platform[],
  meta: Omit<RuleMeta, 'family' | 'platforms' | 'messages'>,
): WorkloadRule<PodSecurityOptions> {
  const swarm = (w: SwarmService, ctx: RuleContext<PodSecurityOptions, undefined>): void => {
    if (level !== 'baseline' || levelRank(ctx.options.level) < levelRank(level)) return;
    const run = runMinor(ctx.schemas?.kubeVersion);
    for (const v of swarmViolations(w)) report(ctx, v, level, { level, minor: run, mode: 'config' });
  };
  const kubernetes = (w: KubernetesWorkload, ctx: RuleContext<PodSecurityOptions, undefined>): void => {
    const run = runMinor(ctx.schemas?.kubeVersion);
    const spec = w.podSpec;
    if (!spec || (w.namespace !== undefined && ctx.options.ignoreNamespaces.includes(w.namespace))) return;
    for (const a of applied(w, ctx.index, ctx.options, level, run)) {
      const annotationsPath: Path = w.podTemplatePath.length
        ? [...w.podTemplatePath, 'metadata', 'annotations']
        : ['metadata', 'annotations'];
      const template = annotationsAt(w, annotationsPath);
      const pod = { spec, specPath: w.podSpecPath, annotations: template, annotationsPath };
      for (const v of podSecurityViolations(pod, level, a.minor)) {
        if (DEDICATED.has(v.control) && a.mode !== 'enforce') continue;
        report(ctx, v, level, a);
      }
    }
  };
  return defineWorkloadRule<PodSecurityOptions>({
    id,
    meta: { ...meta, family: 'security', messages: PSS_MESSAGES },
    // A compose file for local development (no sign of Swarm) is not deployed to a cluster.
    applies: { platforms, ...(platforms.includes('swarm') ? { skip: ['compose-only'] } : {}) },
    kubernetes,
    ...(platforms.includes('swarm') ? { swarm } : {}),
    options: {
      schema: podSecurityOptionsSchema,
      defaults: { level: 'baseline', ignoreNamespaces: SYSTEM_NAMESPACES },
    },
  });
}

function annotationsAt(w: Workload, path: Path): Record<string, string> {
  let node: unknown = w.resource.value;
  for (const seg of path) node = isObject(node) ? node[seg as string] : undefined;
  const out: Record<string, string> = {};
  if (isObject(node)) for (const [k, v] of Object.entries(node)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The three ways a violation reads: enforced (pods rejected), the config's level, or a namespace that warns or audits. */
export const PSS_MESSAGES = {
  enforced: '{{subject}}: {{what:60}} ({{control:40}}): namespace {{namespace}} rejects the pods, the rollout hangs',
  config: '{{subject}}: {{what:60}} (Pod Security {{control:40}})',
  labelled: '{{subject}}: {{what:60}} ({{control:40}}; namespace {{namespace}} {{mode}})',
};

function report(
  ctx: { report: (r: Report) => void },
  v: Violation,
  level: 'baseline' | 'restricted',
  a: Applied,
): void {
  // The subject names the workload; `what` names the container itself (init, ephemeral…).
  const what = v.what;
  const control = `${level}: ${CONTROLS[v.control].name}`;
  const namespace = a.namespace ?? '';
  ctx.report({
    path: v.path,
    ...(a.mode === 'enforce'
      ? { messageId: 'enforced', data: { what, control, namespace }, enforced: true }
      : a.mode === 'config'
        ? { messageId: 'config', data: { what, control } }
        : { messageId: 'labelled', data: { what, control, namespace, mode: a.mode === 'warn' ? 'warns' : 'audits' } }),
  });
}
