import type { Path, Platform, Resource, Severity, Workload } from '../model/types.js';
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
}

export interface RuleOptions<O> {
  /** JSON Schema of the options object (`type: object`, each property with a description). */
  schema: Record<string, unknown>;
  defaults: O;
}

export interface Report {
  /** Path inside `resource` (default: the resource being checked). The engine turns it into a range. */
  path: Path;
  message: string;
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
  options?: RuleOptions<O>;
  /** Per-run preparation from options (compile regexes here, never per resource). */
  setup?(options: O): S;
}

export interface WorkloadRule<O = Record<string, never>, S = undefined> extends RuleBase<O, S> {
  target: 'workload';
  check(workload: Workload, ctx: RuleContext<O, S>): void;
}

export interface ResourceRule<O = Record<string, never>, S = undefined> extends RuleBase<O, S> {
  target: 'resource';
  /** Only resources of these kinds are passed to `check` (all when absent). */
  kinds?: readonly string[];
  platforms?: readonly Platform[];
  check(resource: Resource, ctx: RuleContext<O, S>): void;
}

/** Findings produced by the loader (broken YAML, duplicate keys…): metadata only, no check. */
export interface LoadRule extends RuleBase<Record<string, never>, undefined> {
  target: 'load';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = WorkloadRule<any, any> | ResourceRule<any, any> | LoadRule;

export function defineWorkloadRule<O = Record<string, never>, S = undefined>(
  rule: Omit<WorkloadRule<O, S>, 'target'>,
): WorkloadRule<O, S> {
  return { ...rule, target: 'workload' };
}

export function defineResourceRule<O = Record<string, never>, S = undefined>(
  rule: Omit<ResourceRule<O, S>, 'target'>,
): ResourceRule<O, S> {
  return { ...rule, target: 'resource' };
}

export function defineLoadRule(rule: Omit<LoadRule, 'target'>): LoadRule {
  return { ...rule, target: 'load' };
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
