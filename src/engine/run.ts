import { createHash } from 'node:crypto';
import type { LoadProblem } from '../load/parse.js';
import type { Finding, Path, Resource, Severity, Workload } from '../model/types.js';
import { ResourceIndex } from './resource-index.js';
import { SEVERITY_RANK, type AnyRule, type Report, type RuleContext } from './rule.js';

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
}

export const IGNORE_ANNOTATION = 'shipshape.io/ignore';

/** Run every enabled rule over every resource once. Pure: same input, same findings, same order. */
export function runRules(input: RunInput): Finding[] {
  const index = new ResourceIndex([...input.resources, ...(input.context ?? [])]);
  const own = new Set(input.resources);
  const findings: Finding[] = [];
  const seen = new Map<string, number>();

  for (const p of input.problems) {
    const setting = settingFor(input, p.ruleId);
    if (setting.severity === 'off') continue;
    findings.push({
      ruleId: p.ruleId,
      severity: setting.severity,
      message: p.message,
      file: p.file,
      range: p.range,
      exact: true,
      fingerprint: fingerprint(seen, [p.ruleId, p.file, String(p.range.startLine), p.message]),
    });
  }

  for (const rule of input.rules) {
    if (rule.target === 'load') continue;
    const setting = settingFor(input, rule.id);
    if (setting.severity === 'off') continue;
    const options = { ...(rule.options?.defaults ?? {}), ...setting.options };
    let state: unknown;
    try {
      state = rule.setup ? rule.setup(options) : undefined;
    } catch (err) {
      throw new Error(`rule ${rule.id}: invalid options: ${(err as Error).message}`);
    }
    const configured = setting.severity;

    const runOne = (resource: Resource, subject: Resource | Workload, container?: string): void => {
      const ctx: RuleContext<unknown, unknown> = {
        options,
        state,
        index,
        report: (r: Report) => findings.push(toFinding(rule.id, configured, resource, r, seen)),
      };
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        rule.check(subject as any, ctx as any);
      } catch (err) {
        findings.push(
          toFinding('internal-error', 'error', resource, {
            path: [],
            message: `rule ${rule.id} failed on this resource and was skipped: ${(err as Error).message ?? String(err)}`,
            ...(container ? { container } : {}),
          }, seen),
        );
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

  return sortFindings(findings);
}

function settingFor(input: RunInput, id: string): RuleSetting {
  const s = input.settings.get(id);
  if (s) return s;
  const rule = input.rules.find((r) => r.id === id);
  return { severity: rule?.meta.severity ?? 'error', options: {} };
}

function toFinding(ruleId: string, configured: Severity, subject: Resource, r: Report, seen: Map<string, number>): Finding {
  const resource = r.resource ?? subject;
  const { range, exact } = resource.locator.locate(r.path);
  const severity = r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[configured] ? r.severity : configured;
  const ignored = ignoredRules(subject);
  const finding: Finding = {
    ruleId,
    severity,
    message: r.message,
    file: resource.file.path,
    range,
    exact,
    resource: { kind: resource.kind, ...(resource.namespace ? { namespace: resource.namespace } : {}), ...(resource.name ? { name: resource.name } : {}) },
    ...(r.container ? { container: r.container } : {}),
    path: formatPath(r.path),
    fingerprint: fingerprint(seen, [ruleId, resource.file.path, resource.kind, resource.namespace ?? '', resource.name ?? '', formatPath(r.path)]),
  };
  if (ignored.has(ruleId) || ignored.has('*')) finding.suppressed = { kind: 'inSource', justification: `${IGNORE_ANNOTATION} annotation` };
  return finding;
}

const ignoreCache = new WeakMap<Resource, Set<string>>();

function ignoredRules(r: Resource): Set<string> {
  let set = ignoreCache.get(r);
  if (!set) {
    const raw = r.annotations[IGNORE_ANNOTATION] ?? '';
    set = new Set(raw.split(',').map((s) => s.trim()).filter(Boolean));
    ignoreCache.set(r, set);
  }
  return set;
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
