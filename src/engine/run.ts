import { append } from '../model/append.js';
import { redact } from '../model/redact.js';
import { createHash } from 'node:crypto';
import type { SuppressionComment } from '../load/directives.js';
import type { LoadProblem } from '../load/parse.js';
import type { SchemaSources } from '../schema/sources.js';
import type { Finding, Path, Resource, Severity, Workload } from '../model/types.js';
import { ResourceIndex } from './resource-index.js';
import { SEVERITY_RANK, type AnyRule, type Report, type RuleContext } from './rule.js';
import { EffectiveSettings, type RuleOverride } from './settings.js';
import { applySuppressions, IGNORE_ANNOTATION, type FindingOrigin } from './suppress.js';

export type { RuleOverride } from './settings.js';
export { IGNORE_ANNOTATION };

export interface RuleSetting {
  severity: Severity | 'off';
  options: Record<string, unknown>;
}

export interface RunInput {
  resources: readonly Resource[];
  problems: readonly LoadProblem[];
  rules: readonly AnyRule[];
  /** Effective setting per rule id; rules without an entry use their default severity and options. */
  settings: ReadonlyMap<string, RuleSetting>;
  /** Extra resources that take part in cross-resource rules but are never reported on (a live cluster). */
  context?: readonly Resource[];
  /** Schemas for the schema rules (Kubernetes version, bundled schemas, Compose Specification). */
  schemas?: SchemaSources;
  /** Per-file settings (config `overrides`, then `--rule`), applied in order over `settings`. */
  overrides?: readonly RuleOverride[];
  /** `# shipshape-ignore` comments of the files read (see load/directives.ts). */
  suppressions?: readonly SuppressionComment[];
}

/** Run every enabled rule over every resource once. Pure: same input, same findings, same order. */
export function runRules(input: RunInput): Finding[] {
  const index = new ResourceIndex([...input.resources, ...(input.context ?? [])]);
  const own = new Set(input.resources);
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const settings = new EffectiveSettings(input.rules, input.settings, input.overrides);
  const origins = new Map<Finding, FindingOrigin>();

  for (const p of input.problems) {
    const setting = settings.for(p.ruleId, p.file);
    if (setting.severity === 'off') continue;
    findings.push({
      ruleId: p.ruleId,
      severity: setting.severity,
      message: redact(p.message),
      file: p.file,
      range: p.range,
      exact: true,
      // No line number: the message names the key or the error, and repeats get a counter.
      fingerprint: fingerprint(seen, [p.ruleId, p.file, redact(p.message)]),
    });
  }

  for (const rule of input.rules) {
    if (rule.target === 'load' || !settings.enabledAnywhere(rule.id)) continue;
    // setup() runs once per distinct set of options (overrides may give some files other options).
    const prepared = new Map<string, { options: Record<string, unknown>; state: unknown }>();
    // By identity first: settings hand out the same options object for every file they apply to the same way.
    const preparedFor = new WeakMap<Record<string, unknown>, { options: Record<string, unknown>; state: unknown }>();
    const prepare = (own: Record<string, unknown>): { options: Record<string, unknown>; state: unknown } => {
      const known = preparedFor.get(own);
      if (known) return known;
      const key = JSON.stringify(own);
      let p = prepared.get(key);
      if (!p) {
        const options = { ...(rule.options?.defaults ?? {}), ...own };
        try {
          p = { options, state: rule.setup ? rule.setup(options) : undefined };
        } catch (err) {
          throw new Error(`rule ${rule.id}: invalid options: ${(err as Error).message}`);
        }
        prepared.set(key, p);
      }
      preparedFor.set(own, p);
      return p;
    };

    const runOne = (resource: Resource, subject: Resource | Workload, container?: string): void => {
      const setting = settings.for(rule.id, resource.file.path);
      if (setting.severity === 'off') return;
      const configured = setting.severity;
      const { options, state } = prepare(setting.options);
      const service = serviceOf(subject);
      const ctx: RuleContext<unknown, unknown> = {
        options,
        state,
        index,
        schemas: input.schemas,
        report: (r: Report) => {
          const f = toFinding(rule.id, configured, resource, r, seen);
          const svc = service ?? (r.resource ? undefined : serviceIn(resource, r.path));
          origins.set(f, svc === undefined ? { resource } : { resource, service: svc });
          findings.push(f);
        },
      };
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        rule.check(subject as any, ctx as any);
      } catch (err) {
        const f = toFinding('internal-error', 'error', resource, {
          path: [],
          message: `rule ${rule.id} failed on this resource and was skipped: ${errorSummary(err)}`,
          ...(container ? { container } : {}),
        }, seen);
        origins.set(f, { resource });
        findings.push(f);
      }
    };

    if (rule.target === 'workload') {
      for (const w of index.workloads) if (own.has(w.resource)) runOne(w.resource, w);
    } else {
      for (const r of input.resources) {
        if (rule.kinds && !rule.kinds.includes(r.kind)) continue;
        if (rule.platforms && !rule.platforms.includes(r.platform)) continue;
        if (!rule.kinds && !rule.platforms && !rule.meta.platforms.includes(r.platform)) continue;
        runOne(r, r);
      }
    }
  }

  append(
    findings,
    applySuppressions({
      findings,
      origins,
      resources: input.resources,
      comments: input.suppressions ?? [],
      knownIds: new Set(input.rules.map((r) => r.id)),
      settingFor: (id, file) => settings.for(id, file),
      fingerprint: (parts) => fingerprint(seen, parts),
    }),
  );
  return sortFindings(findings);
}

/** The stack service a Swarm workload is (its path is ['services', name]). */
function serviceOf(subject: Resource | Workload): string | undefined {
  if (!('resource' in subject) || subject.platform !== 'swarm') return undefined;
  return typeof subject.path[1] === 'string' ? subject.path[1] : undefined;
}

/** The stack service a path inside a stack file points into. */
function serviceIn(resource: Resource, path: Path): string | undefined {
  return resource.platform === 'swarm' && path[0] === 'services' && typeof path[1] === 'string' ? path[1] : undefined;
}

function toFinding(ruleId: string, configured: Severity, subject: Resource, r: Report, seen: Map<string, number>): Finding {
  const resource = r.resource ?? subject;
  // A note from the locator says where a rendered or live object really comes from (kustomize overlay, cluster…).
  const { range, exact, note } = resource.locator.locate(r.path);
  const severity = r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[configured] ? r.severity : configured;
  return {
    ruleId,
    severity,
    message: redact(note ? `${r.message} (${note})` : r.message),
    file: resource.file.path,
    range,
    exact,
    ...(resource.cluster !== undefined ? { cluster: resource.cluster } : {}),
    resource: { kind: resource.kind, ...(resource.namespace ? { namespace: resource.namespace } : {}), ...(resource.name ? { name: resource.name } : {}) },
    ...(r.container ? { container: r.container } : {}),
    path: formatPath(r.path),
    fingerprint: fingerprint(seen, [ruleId, resource.file.path, resource.kind, resource.namespace ?? '', resource.name ?? '', formatPath(r.path)]),
  };
}

/**
 * One line about an exception, without the input it may quote: V8 puts the start of a string it could not parse in the
 * message (`"hunter2…" is not valid JSON`), and the value could be a secret. Quoted parts are elided.
 */
export function errorSummary(err: unknown): string {
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const line = (raw.split('\n')[0] ?? raw).slice(0, 1000).replace(/"[^"\n]*"|'[^'\n]*'|`[^`\n]*`/g, '"…"');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Hash of what identifies a finding apart from its line; a repeat of the same identity gets a counter. */
function fingerprint(seen: Map<string, number>, parts: string[]): string {
  const base = parts.join('\u0000');
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return createHash('sha256').update(n ? `${base}\u0000${n}` : base).digest('hex').slice(0, 32);
}

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      a.range.startLine - b.range.startLine ||
      a.range.startColumn - b.range.startColumn ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
