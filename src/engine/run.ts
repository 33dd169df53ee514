import { append } from '../model/append.js';
import { formatPath } from '../model/path.js';
import { redact } from '../model/redact.js';
import { clip, resourceSubject, subjectOf } from '../model/subject.js';
import { isComposeOnly } from '../model/swarm-service.js';
import { createHash } from 'node:crypto';
import type { Finding, LoadProblem, Path, Resource, Severity, SuppressionComment, Workload } from '../model/types.js';
import type { SchemaSources } from '../schema/sources.js';
import { ResourceIndex, skaffoldBuilds } from './resource-index.js';
import {
  SEVERITY_RANK,
  workloadCheck,
  type AnyRule,
  type Applies,
  type LoadRule,
  type MessageData,
  type Report,
  type RuleContext,
} from './rule.js';
import { EffectiveSettings, type RuleOverride } from './settings.js';
import { applySuppressions, IGNORE_ANNOTATION, type FindingOrigin } from './suppress.js';

export type { RuleOverride } from './settings.js';
export { IGNORE_ANNOTATION };

export interface RuleSetting {
  severity: Severity | 'off';
  options: Record<string, unknown>;
}

/** The objects of one deployment unit: cross-resource rules resolve among them (and the context) only. */
export interface RunUnit {
  id: string;
  resources: readonly Resource[];
  /** Files of patch fragments in this unit (absolute paths). */
  patchFiles?: ReadonlySet<string>;
}

export interface RunInput {
  /** Every object checked (the union of the units' objects when units are given). */
  resources: readonly Resource[];
  /** Deployment units; without them, all resources are one unit. */
  units?: readonly RunUnit[];
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
  /** Override globs are matched against this path of a file (relative to the config file; default: as shown). */
  configPath?: (file: string) => string;
  /** The path fingerprints hash (relative to the repository root, so any working directory gives the same ones). */
  identityPath?: (file: string) => string;
  /** `# shipshape-ignore` comments of the files read (see load/directives.ts). */
  suppressions?: readonly SuppressionComment[];
  /** Absolute paths of the files a kustomization of the input applies as patches (with or without apiVersion/kind). */
  kustomizePatches?: ReadonlySet<string>;
}

/**
 * Run every enabled rule over every object of every unit. An object in several units (a base shared by overlays) is
 * judged in each, and a finding that several units give alike is reported once, naming them. Pure: same input, same
 * findings, same order.
 */
export function runRules(input: RunInput): Finding[] {
  const units: readonly RunUnit[] = input.units ?? [{ id: '', resources: input.resources }];
  const findings: Finding[] = [];
  const settings = new EffectiveSettings(input.rules, input.settings, input.overrides, input.configPath);
  const idPath = input.identityPath ?? ((f: string) => f);
  const origins = new Map<Finding, FindingOrigin>();
  const identities = new Map<Finding, string[]>();
  const unitOf = new Map<Finding, string>();
  // What tells findings of several units apart besides their place: the message id and data, not the subject
  // (kustomize renames objects per overlay). Data may hold facts the message does not show (the namespace a budget is
  // looked for in), and the note says where the value comes from.
  const facts = new Map<Finding, string>();
  const notes = new Map<Finding, string>();

  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  for (const p of input.problems) {
    const setting = settings.for(p.ruleId, p.file);
    if (setting.severity === 'off') continue;
    const rule = ruleById.get(p.ruleId);
    const f: Finding = {
      ruleId: p.ruleId,
      severity: setting.severity,
      message: rule && p.messageId !== undefined ? fillMessage(rule, p.messageId, p.data, 'file') : redact(p.message),
      ...(rule && p.messageId !== undefined ? { messageId: p.messageId } : {}),
      file: p.file,
      range: p.range,
      exact: true,
      fingerprint: '',
    };
    // No line number: the full description names the key or the error, and repeats get a counter.
    identities.set(f, [p.ruleId, idPath(p.file), redact(p.message)]);
    findings.push(f);
  }

  // The whole run, for "is it anywhere?" questions (an HPA's target deployed by another unit is not missing).
  let everything: ResourceIndex | undefined;
  const whole = (): ResourceIndex =>
    (everything ??= new ResourceIndex(
      [...input.resources, ...(input.context ?? [])],
      input.kustomizePatches ? { patchFiles: input.kustomizePatches } : {},
    ));
  const prepared = new Map<string, Map<string, { options: Record<string, unknown>; state: unknown }>>();
  // By identity first: settings hand out the same options object for every file they apply to the same way.
  const preparedFor = new Map<
    string,
    WeakMap<Record<string, unknown>, { options: Record<string, unknown>; state: unknown }>
  >();
  const prepare = (
    rule: AnyRule,
    own: Record<string, unknown>,
  ): { options: Record<string, unknown>; state: unknown } => {
    let byIdentity = preparedFor.get(rule.id);
    if (!byIdentity) preparedFor.set(rule.id, (byIdentity = new WeakMap()));
    const known = byIdentity.get(own);
    if (known) return known;
    let byKey = prepared.get(rule.id);
    if (!byKey) prepared.set(rule.id, (byKey = new Map()));
    const key = JSON.stringify(own);
    let p = byKey.get(key);
    if (!p) {
      const options = { ...(rule.options?.defaults ?? {}), ...own };
      try {
        p = { options, state: rule.setup ? rule.setup(options) : undefined };
      } catch (err) {
        throw new Error(`rule ${rule.id}: invalid options: ${(err as Error).message}`, { cause: err });
      }
      byKey.set(key, p);
    }
    byIdentity.set(own, p);
    return p;
  };
  const buildArtifacts = units.length > 1 ? skaffoldBuilds(input.resources) : undefined;
  const enabled = input.rules.filter(
    (rule): rule is Exclude<AnyRule, LoadRule> => rule.target !== 'load' && settings.enabledAnywhere(rule.id),
  );

  for (const unit of units) {
    const index = new ResourceIndex([...unit.resources, ...(input.context ?? [])], {
      ...(unit.patchFiles ? { patchFiles: unit.patchFiles } : {}),
      ...(input.kustomizePatches ? { morePatchFiles: input.kustomizePatches } : {}),
      ...(units.length > 1 ? { whole, buildArtifacts } : {}),
    });
    const own = new Set(unit.resources);
    for (const rule of enabled) {
      const runOne = (
        resource: Resource,
        subject: Resource | Workload,
        check: (ctx: RuleContext<unknown, unknown>) => void,
      ): void => {
        const setting = settings.for(rule.id, resource.file.path);
        if (setting.severity === 'off') return;
        const configured = setting.severity;
        const { options, state } = prepare(rule, setting.options);
        const service = serviceOf(subject);
        const ctx: RuleContext<unknown, unknown> = {
          options,
          state,
          index,
          schemas: input.schemas,
          report: (r: Report) => {
            const svc = service ?? (r.resource ? undefined : serviceIn(resource, r.path));
            const about = (max?: number): string =>
              'resource' in subject
                ? subjectOf(subject, r.container, max)
                : resourceSubject(r.resource ?? subject, r.container, svc, max);
            const f = toFinding(
              rule.id,
              configured,
              resource,
              r,
              (budget) => fitMessage(rule, r.messageId, r.data, about, budget),
              r.messageId,
              identities,
              idPath,
              notes,
            );
            facts.set(f, JSON.stringify([r.messageId, r.data ?? {}, notes.get(f) ?? '']));
            origins.set(f, svc === undefined ? { resource } : { resource, service: svc });
            unitOf.set(f, unit.id);
            findings.push(f);
          },
        };
        try {
          check(ctx);
        } catch (err) {
          const f = toFinding(
            'internal-error',
            'error',
            resource,
            { path: [] },
            () => `rule ${rule.id} failed on this resource and was skipped: ${errorSummary(err)}`,
            'ruleFailed',
            identities,
            idPath,
          );
          origins.set(f, { resource });
          unitOf.set(f, unit.id);
          findings.push(f);
        }
      };

      const applies = rule.applies;
      if (rule.target === 'workload') {
        for (const w of index.workloads) {
          if (!own.has(w.resource)) continue;
          if (!inScope(applies, w, index)) continue;
          const check = workloadCheck(rule, w);
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          if (check) runOne(w.resource, w, check as any);
        }
      } else {
        for (const r of unit.resources) {
          if (applies.kinds && !applies.kinds.includes(r.kind)) continue;
          if (!applies.platforms.includes(r.platform)) continue;
          if (applies.skip?.includes('kustomize-patch') && index.isKustomizePatch(r)) continue;
          if (applies.skip?.includes('compose-only') && r.kind === 'Stack' && isComposeOnly(r)) continue;
          const check = rule.check ?? (r.platform === 'kubernetes' ? rule.kubernetes : rule.swarm);
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          if (check) runOne(r, r, (ctx) => check.call(rule, r, ctx as any));
        }
      }
    }
  }

  const seen = new Map<string, number>();
  const out = input.units ? mergeAcrossUnits(findings, unitOf, facts, units) : findings;
  for (const f of out) {
    const parts = identities.get(f);
    if (parts) f.fingerprint = fingerprint(seen, parts);
  }
  const suppressionFindings = applySuppressions({
    findings,
    origins,
    resources: units.length === 1 ? units[0]!.resources : [...new Set(units.flatMap((u) => u.resources))],
    comments: input.suppressions ?? [],
    knownIds: new Set(input.rules.map((r) => r.id)),
    settingFor: (id, file) => settings.for(id, file),
    fingerprint: (parts) =>
      fingerprint(seen, parts.length > 1 ? [parts[0]!, idPath(parts[1]!), ...parts.slice(2)] : parts),
    message: (ruleId, messageId, data) => {
      const rule = ruleById.get(ruleId);
      return rule ? fillMessage(rule, messageId, data, '') : messageId;
    },
  });
  append(out, suppressionFindings);
  return sortFindings(out);
}

/**
 * One finding for what several units report alike (same rule, place and message), with the units that gave it in
 * `units`; the message names them when the finding's file belongs to more than one unit.
 */
function mergeAcrossUnits(
  findings: readonly Finding[],
  unitOf: ReadonlyMap<Finding, string>,
  facts: ReadonlyMap<Finding, string>,
  units: readonly RunUnit[],
): Finding[] {
  const unitsOfFile = new Map<string, Set<string>>();
  for (const u of units)
    for (const r of u.resources) {
      let s = unitsOfFile.get(r.file.path);
      if (!s) unitsOfFile.set(r.file.path, (s = new Set()));
      s.add(u.id);
    }
  const byKey = new Map<string, Finding>();
  const out: Finding[] = [];
  const named = new Map<Finding, string[]>();
  for (const f of findings) {
    const unit = unitOf.get(f);
    // Names differ between units when kustomize adds a prefix or suffix: the same place, the same words otherwise.
    const subject = f.resource?.name ? `${f.resource.kind} "${f.resource.name}"` : undefined;
    const words = facts.get(f) ?? (subject ? f.message.split(subject).join('\u0001') : f.message);
    const key = [
      f.ruleId,
      f.file,
      f.range.startLine,
      f.range.startColumn,
      f.range.endLine,
      f.range.endColumn,
      words,
      f.path ?? '',
      f.resource?.kind ?? '',
    ].join('\u0000');
    const first = byKey.get(key);
    if (first) {
      if (unit !== undefined && !named.get(first)!.includes(unit)) named.get(first)!.push(unit);
      continue;
    }
    byKey.set(key, f);
    named.set(f, unit !== undefined ? [unit] : []);
    out.push(f);
  }
  for (const f of out) {
    const ids = named.get(f)!;
    if (!ids.length) continue;
    f.units = ids;
    // The note only when it fits in 160 characters with the message: the units are all in `units` anyway.
    const note = (unitsOfFile.get(f.file)?.size ?? 0) > 1 ? unitsNote(ids, 160 - f.message.length - 3) : '';
    if (note) f.message = `${f.message} (${note})`;
  }
  return out;
}

/** The units a finding comes from, short enough for one line: all of them are in the finding's `units`. */
export function unitsNote(ids: readonly string[], room = 40): string {
  if (ids.length > 1) return `same in ${ids.length} units`;
  const named = `in unit ${tail(ids[0]!, 32)}`;
  return named.length <= room ? named : room >= 11 ? 'in one unit' : '';
}

/** The end of a long text (the distinctive part of a path). */
function tail(s: string, max: number): string {
  return s.length <= max ? s : `…${s.slice(s.length - max + 1)}`;
}

/** Kubernetes kinds, platforms and skips a rule declares (`applies`), for one workload. */
function inScope(applies: Applies, w: Workload, index: ResourceIndex): boolean {
  if (!applies.platforms.includes(w.platform)) return false;
  if (w.platform === 'kubernetes') {
    if (applies.kinds && !applies.kinds.includes(w.kind)) return false;
    return !(applies.skip?.includes('kustomize-patch') && index.isKustomizePatch(w.resource));
  }
  if (applies.skip?.includes('compose-only') && w.composeOnly) return false;
  return !(applies.skip?.includes('partial') && w.partial);
}

/**
 * How long a message may be before the notes the engine adds (where a value comes from, the units it is in): the
 * message, its notes and the units note fit in 160 characters.
 */
const MESSAGE_BUDGET = 118;

/** A message within `budget` characters: input text in it shortened further when the message would be longer. */
function fitMessage(
  rule: Pick<AnyRule, 'id' | 'meta'>,
  messageId: string,
  data: MessageData | undefined,
  subject: (max?: number) => string,
  budget: number,
): string {
  let message = '';
  for (const max of [48, 40, 32, 24, 16]) {
    message = fillMessage(rule, messageId, data, subject(Math.min(max, 32)), max);
    if (message.length <= budget) break;
  }
  return message;
}

/**
 * A rule's message by id with its placeholders filled. Strings are input text (names, images, keys, flags): they pass
 * the one redaction function and are shortened in the middle to 48 characters, less when the message is long
 * (`{{name:120}}` in a template: 120, always), so a message stays about one line long. `data` may hold
 * more than the template shows: the rest still keeps apart findings of several units (see mergeAcrossUnits).
 */
export function fillMessage(
  rule: Pick<AnyRule, 'id' | 'meta'>,
  messageId: string,
  data: MessageData | undefined,
  subject: string,
  limit = 48,
): string {
  const template = rule.meta.messages[messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} has no message "${messageId}"`);
  return template.replace(/\{\{(\w+)(?::(\d+))?\}\}/g, (_, key: string, max?: string) => {
    const value = data && Object.hasOwn(data, key) ? data[key] : key === 'subject' ? subject : undefined;
    if (value === undefined) throw new Error(`rule ${rule.id}, message "${messageId}": no value for {{${key}}}`);
    if (typeof value === 'number') return String(value);
    return key === 'subject' ? redact(value) : clip(redact(value), max ? Number(max) : limit);
  });
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

function toFinding(
  ruleId: string,
  configured: Severity,
  subject: Resource,
  r: Omit<Report, 'messageId'>,
  message: (budget: number) => string,
  messageId: string | undefined,
  identities: Map<Finding, string[]>,
  idPath: (file: string) => string,
  notes?: Map<Finding, string>,
): Finding {
  const resource = r.resource ?? subject;
  // A note from the locator says where a rendered or live object really comes from (kustomize overlay, cluster…),
  // and its file, when a patch sets the value, is the patch.
  const { range, exact, note, file } = resource.locator.locate(r.path);
  const severity = r.enforced
    ? 'error'
    : r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[configured]
      ? r.severity
      : configured;
  const f: Finding = {
    ruleId,
    severity,
    message: note ? `${message(MESSAGE_BUDGET - note.length - 3)} (${note})` : message(MESSAGE_BUDGET),
    ...(messageId !== undefined ? { messageId } : {}),
    file: (file ?? resource.file).path,
    range,
    exact,
    ...(resource.cluster !== undefined ? { cluster: resource.cluster } : {}),
    resource: {
      kind: resource.kind,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      ...(resource.name ? { name: resource.name } : {}),
    },
    ...(r.container ? { container: r.container } : {}),
    path: formatPath(r.path),
    fingerprint: '',
  };
  if (note) notes?.set(f, note);
  if (r.fix?.length) {
    // Only an object written as it is checked: the edits are paths into its own document.
    const why =
      resource.cluster !== undefined
        ? 'a live object'
        : note || file
          ? 'the object is rendered or patched: fix its source'
          : /#(kustomize:|helm\/)/.test(resource.key)
            ? 'the object is rendered (kustomize, Helm): fix its source (--no-render checks and fixes the files as written)'
            : resource.key !== `${resource.file.path}#${resource.docIndex}`
              ? 'an item of a List'
              : undefined;
    if (why) f.fixSkipped = why;
    else
      f.fix = {
        doc: resource.docIndex,
        edits: r.fix.map((e) => ('path' in e ? { ...e, path: [...e.path] } : { ...e })),
        ...(r.fixCommand ? { command: r.fixCommand } : {}),
      };
  }
  identities.set(f, [
    ruleId,
    idPath(resource.file.path),
    resource.kind,
    resource.namespace ?? '',
    resource.name ?? '',
    formatPath(r.path),
  ]);
  return f;
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
  return createHash('sha256')
    .update(n ? `${base}\u0000${n}` : base)
    .digest('hex')
    .slice(0, 32);
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
