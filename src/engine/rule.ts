import type {
  FixEdit,
  KubernetesWorkload,
  Path,
  Platform,
  Resource,
  Severity,
  SwarmService,
  Workload,
} from '../model/types.js';
import type { SchemaSources } from '../schema/sources.js';
import type { ResourceIndex } from './resource-index.js';

export type Family = 'reliability' | 'security' | 'swarm' | 'schema' | 'input' | 'config' | 'custom';

export interface RuleMeta {
  /** Default severity (the `recommended` preset). */
  severity: Severity;
  /** Severity in the `strict` preset; defaults to `severity`. */
  strictSeverity?: Severity;
  /** Off in the `recommended` preset and when there is no config; `strictSeverity ?? severity` in `strict`. */
  offByDefault?: boolean;
  /** Documentation link for rules that have no page in docs/rules (custom policies). */
  docsUrl?: string;
  family: Family;
  /** The platforms of `applies` (filled in by the define functions: declared once, in `applies`). */
  platforms: readonly Platform[];
  /** One sentence: what the rule checks. */
  description: string;
  /** Why it matters in production. */
  rationale: string;
  /** What to change. */
  remediation: string;
  tags?: readonly string[];
  /** CVSS-like score as GitHub code scanning reads it, for rules about secrets and exposure. */
  securitySeverity?: number;
  /**
   * Message templates by id, as in ESLint: what is wrong, with the numbers, in about 120 characters. `{{name}}` is
   * filled from the report's `data` (input text in it is redacted and shortened to 48 characters by the engine,
   * `{{name:100}}` to 100); `{{subject}}` defaults
   * to the object checked, worded by model/subject.ts. The why and the fix are `rationale` and `remediation`.
   */
  messages: Readonly<Record<string, string>>;
}

/**
 * What the engine leaves out before a check runs. `kustomize-patch`: a Kubernetes object that is a patch a
 * kustomization applies (the base has what the patch leaves out). `compose-only`: a Compose file with no sign of Swarm
 * (`docker compose` for local development). `partial`: a Swarm service with neither image nor build, a fragment of a
 * multi-file deploy (`docker stack deploy -c base.yml -c this.yml`).
 */
export type Skip = 'kustomize-patch' | 'compose-only' | 'partial';

/** The scope of a rule, declared: the engine filters on it, so a check never tests the platform or kind itself. */
export interface Applies {
  platforms: readonly Platform[];
  /** Kubernetes kinds checked (all pod-bearing kinds for a workload rule, all kinds for a resource rule, when absent). */
  kinds?: readonly string[];
  /** Why kinds are left out (shown in the docs). */
  kindsNote?: string;
  skip?: readonly Skip[];
}

export type MessageData = Readonly<Record<string, string | number>>;

export interface RuleOptions<O> {
  /** JSON Schema of the options object (`type: object`, each property with a description). */
  schema: Record<string, unknown>;
  defaults: O;
}

export interface Report {
  /** Path inside `resource` (default: the resource being checked). The engine turns it into a range. */
  path: Path;
  /** A key of `meta.messages`. */
  messageId: string;
  /** The placeholders of the message. Strings are input text: the engine redacts and shortens them. */
  data?: MessageData;
  container?: string;
  /** Report into another resource (a Swarm env file, the HPA of a workload…). */
  resource?: Resource;
  /** A lower severity for this finding only (never raises the configured one). */
  severity?: Severity;
  /**
   * The target will refuse it (the namespace's Pod Security admission rejects the pods): an error whatever severity the
   * rule is configured with, since the rollout cannot complete.
   */
  enforced?: boolean;
  /** Edits at paths of the resource reported into that make the finding go away (`shipshape --fix`). */
  fix?: FixEdit[];
  /** With `fix`: the command to run once it is in (never with a secret value): see `Fix.command`. */
  fixCommand?: string;
}

export interface RuleContext<O, S> {
  readonly options: O;
  readonly state: S;
  readonly index: ResourceIndex;
  /** Schemas for schema validation, loaded by lint() only when a schema rule runs (undefined otherwise). */
  readonly schemas?: SchemaSources;
  report(r: Report): void;
}

interface RuleBase<O, S> {
  id: string;
  meta: RuleMeta;
  applies: Applies;
  options?: RuleOptions<O>;
  /** Per-run preparation from options (compile regexes here, never per resource). */
  setup?(options: O): S;
}

/** A rule over what runs: one check per platform it covers, each over its own view. */
export interface WorkloadRule<O = Record<string, never>, S = undefined> extends RuleBase<O, S> {
  target: 'workload';
  kubernetes?(workload: KubernetesWorkload, ctx: RuleContext<O, S>): void;
  swarm?(service: SwarmService, ctx: RuleContext<O, S>): void;
}

/** A rule over objects (a Kubernetes object, a whole stack file, an env file). */
export interface ResourceRule<O = Record<string, never>, S = undefined> extends RuleBase<O, S> {
  target: 'resource';
  /** One check for every object in scope; or one per platform, below. */
  check?(resource: Resource, ctx: RuleContext<O, S>): void;
  kubernetes?(resource: Resource, ctx: RuleContext<O, S>): void;
  swarm?(resource: Resource, ctx: RuleContext<O, S>): void;
}

/** Findings produced by the loader (broken YAML, duplicate keys…): metadata and messages only, no check. */
export interface LoadRule extends RuleBase<Record<string, never>, undefined> {
  target: 'load';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = WorkloadRule<any, any> | ResourceRule<any, any> | LoadRule;

/** What a rule file writes: `meta.platforms` comes from `applies`. */
type Defined<R extends { meta: RuleMeta }> = Omit<R, 'target' | 'meta'> & { meta: Omit<RuleMeta, 'platforms'> };

export function defineWorkloadRule<O = Record<string, never>, S = undefined>(
  rule: Defined<WorkloadRule<O, S>>,
): WorkloadRule<O, S> {
  const platforms = rule.applies.platforms;
  for (const p of platforms) if (!rule[p]) throw new Error(`rule ${rule.id}: applies to ${p} but has no ${p}() check`);
  return { ...rule, meta: { ...rule.meta, platforms }, target: 'workload' };
}

export function defineResourceRule<O = Record<string, never>, S = undefined>(
  rule: Defined<ResourceRule<O, S>>,
): ResourceRule<O, S> {
  const platforms = rule.applies.platforms;
  if (!rule.check)
    for (const p of platforms)
      if (!rule[p]) throw new Error(`rule ${rule.id}: applies to ${p} but has no ${p}() or check()`);
  return { ...rule, meta: { ...rule.meta, platforms }, target: 'resource' };
}

export function defineLoadRule(rule: Defined<LoadRule>): LoadRule {
  return { ...rule, meta: { ...rule.meta, platforms: rule.applies.platforms }, target: 'load' };
}

/** The workload a rule's check for its platform takes, or undefined when the rule does not cover that platform. */
export function workloadCheck<O, S>(
  rule: WorkloadRule<O, S>,
  w: Workload,
): ((ctx: RuleContext<O, S>) => void) | undefined {
  if (w.platform === 'kubernetes') {
    const check = rule.kubernetes;
    return check ? (ctx) => check.call(rule, w, ctx) : undefined;
  }
  const check = rule.swarm;
  return check ? (ctx) => check.call(rule, w, ctx) : undefined;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export const DOCS_BASE_URL = 'https://github.com/shipshape-dev/shipshape/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/**
 * Where a rule is documented: its page in docs/rules, or for a custom policy (no page there) its own `url` when that
 * is an http(s) link, else nowhere.
 */
export function ruleDocsUrl(rule: Pick<AnyRule, 'id' | 'meta'>): string | undefined {
  if (rule.meta.family !== 'custom') return rule.meta.docsUrl ?? docsUrl(rule.id);
  const url = rule.meta.docsUrl;
  return url && /^https?:\/\/[^\s<>"`]+$/i.test(url) ? url : undefined;
}
