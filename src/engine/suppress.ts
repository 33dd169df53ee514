import type { Finding, Path, Range, Resource, Severity, SuppressionComment } from '../model/types.js';
import { isObject } from '../model/json.js';
import type { RuleSetting } from './run.js';
import { didYouMean } from '../model/suggest.js';

export const IGNORE_ANNOTATION = 'shipshape.io/ignore';
export const SWARM_EXTENSION = 'x-shipshape';
export const UNUSED_SUPPRESSION = 'unused-suppression';
export const REASON_MISSING = 'suppression-reason-missing';
/** Findings about suppressions themselves: only the config can silence them. */
const HOUSEKEEPING = new Set([UNUSED_SUPPRESSION, REASON_MISSING]);

/** What the engine knows about where a finding came from, beyond its file and line. */
export interface FindingOrigin {
  /** The resource the rule was checking (its annotations apply). */
  resource: Resource;
  /** Swarm: the stack service the finding is about (its `x-shipshape` applies). */
  service?: string;
}

export interface SuppressionInput {
  findings: readonly Finding[];
  origins: ReadonlyMap<Finding, FindingOrigin>;
  resources: readonly Resource[];
  comments: readonly SuppressionComment[];
  knownIds: ReadonlySet<string>;
  settingFor(ruleId: string, file: string): RuleSetting;
  fingerprint(parts: string[]): string;
  /** The message `messageId` of a rule's `meta.messages`, filled (see fillMessage in run.ts). */
  message(ruleId: string, messageId: string, data?: Readonly<Record<string, string>>): string;
}

type Said = { messageId: string; data?: Record<string, string> };

/** One place that may silence findings: a comment, an annotation, or a service's x-shipshape. */
interface Source {
  ids: readonly string[];
  used: Set<string>;
  justification: string;
}

/**
 * Marks the findings that a comment, an annotation or an `x-shipshape` silences (in place), and returns the findings
 * about the suppressions themselves: those that silenced nothing, and those without a reason when one is required.
 */
export function applySuppressions(input: SuppressionInput): Finding[] {
  // The same object checked in several units (a base shared by overlays) is one place to silence: one Source.
  const annotations = new Map<Resource, Source>();
  const firstOf = new Map<Source, Resource>();
  const bySignature = new Map<string, Source>();
  for (const r of input.resources) {
    const ids = annotationIds(r);
    if (!ids.length) continue;
    const sig = [r.file.path, ...identity(r), ids.join(',')].join('\u0000');
    let source = bySignature.get(sig);
    if (!source) {
      source = { ids, used: new Set(), justification: `${IGNORE_ANNOTATION} annotation` };
      bySignature.set(sig, source);
      firstOf.set(source, r);
    }
    annotations.set(r, source);
  }
  const services = new Map<Resource, Map<string, ServiceSource>>();
  const seenStacks = new Map<string, Map<string, ServiceSource>>();
  for (const r of input.resources) {
    if (r.platform !== 'swarm') continue;
    const known = seenStacks.get(r.key);
    if (known) {
      services.set(r, known);
      continue;
    }
    const perService = serviceSources(r);
    if (perService.size) {
      services.set(r, perService);
      seenStacks.set(r.key, perService);
    }
  }
  const byLine = new Map<string, { c: SuppressionComment; s: Source }[]>();
  const byFile = new Map<string, { c: SuppressionComment; s: Source }[]>();
  const comments = input.comments.map((c) => {
    const s: Source = {
      ids: c.ids.map((i) => i.id),
      used: new Set(),
      justification: c.reason ?? `# shipshape-ignore${c.scope === 'file' ? '-file' : ''} comment`,
    };
    if (c.scope === 'line') push(byLine, `${c.file}\u0000${c.line}`, { c, s });
    else if (!c.misplaced) push(byFile, c.file, { c, s });
    return { c, s };
  });

  for (const f of input.findings) {
    if (HOUSEKEEPING.has(f.ruleId)) continue;
    const origin = input.origins.get(f);
    const matching: Source[] = [];
    for (const { s } of byLine.get(`${f.file}\u0000${f.range.startLine}`) ?? [])
      if (s.ids.includes(f.ruleId)) matching.push(s);
    for (const { s } of byFile.get(f.file) ?? []) if (s.ids.includes(f.ruleId)) matching.push(s);
    if (origin?.service !== undefined) {
      const s = services.get(origin.resource)?.get(origin.service);
      if (s?.ids.includes(f.ruleId)) matching.push(s);
    }
    if (origin) {
      const s = annotations.get(origin.resource);
      if (s && (s.ids.includes(f.ruleId) || s.ids.includes('*'))) matching.push(s);
    }
    if (!matching.length) continue;
    for (const s of matching) s.used.add(s.ids.includes(f.ruleId) ? f.ruleId : '*');
    f.suppressed = { kind: 'inSource', justification: matching[0]!.justification };
  }

  const out: Finding[] = [];
  const emit = (
    ruleId: string,
    file: string,
    range: Range,
    said: Said,
    parts: string[],
    extra: Partial<Finding> = {},
  ): void => {
    const severity = input.settingFor(ruleId, file).severity;
    if (severity === 'off') return;
    out.push({
      ruleId,
      severity: severity as Severity,
      messageId: said.messageId,
      message: input.message(ruleId, said.messageId, said.data),
      file,
      range,
      exact: true,
      ...extra,
      fingerprint: input.fingerprint([ruleId, file, ...parts]),
    });
  };
  /** Why an id that silenced nothing is reported, or undefined when it is not (its rule is off there). */
  const unused = (id: string, file: string, what: string, where: string): Said | undefined => {
    if (HOUSEKEEPING.has(id)) return { messageId: 'housekeeping', data: { id, what } };
    // The unknown id is not quoted (the position shows it): whatever was written there could be a value.
    if (id !== '*' && !input.knownIds.has(id))
      return { messageId: 'unknownId', data: { what, hint: didYouMean(id, input.knownIds) } };
    if (id !== '*' && input.settingFor(id, file).severity === 'off') return undefined;
    return { messageId: 'unused', data: { what, ids: id === '*' ? 'every rule' : id, where } };
  };

  for (const { c, s } of comments) {
    const kind = c.scope === 'file' ? 'shipshape-ignore-file' : 'shipshape-ignore';
    if (c.misplaced) {
      emit(UNUSED_SUPPRESSION, c.file, c.range, { messageId: 'misplaced', data: { kind } }, [
        'comment',
        kind,
        c.ids.map((i) => i.id).join(','),
      ]);
      continue;
    }
    if (!c.ids.length) {
      emit(UNUSED_SUPPRESSION, c.file, c.range, { messageId: 'noIds', data: { kind } }, ['comment', kind, '']);
      continue;
    }
    const where = c.scope === 'file' ? 'in this file' : `on line ${c.line}`;
    for (const { id, range } of c.ids) {
      if (s.used.has(id)) continue;
      const message = unused(id, c.file, `this # ${kind}`, where);
      if (message) emit(UNUSED_SUPPRESSION, c.file, range, message, ['comment', kind, id]);
    }
    if (!c.reason)
      emit(
        REASON_MISSING,
        c.file,
        c.range,
        { messageId: 'noReason', data: { kind, ids: shownIds(s.ids, input.knownIds) } },
        ['comment', kind, s.ids.join(',')],
      );
  }

  for (const [s, resource] of firstOf) {
    const at = resource.locator.locate(['metadata', 'annotations', IGNORE_ANNOTATION]).range;
    for (const id of s.ids) {
      if (s.used.has(id)) continue;
      const message = unused(
        id,
        resource.file.path,
        `the ${IGNORE_ANNOTATION} annotation`,
        `on ${resource.kind} "${resource.name ?? ''}"`,
      );
      if (message)
        emit(
          UNUSED_SUPPRESSION,
          resource.file.path,
          at,
          message,
          ['annotation', ...identity(resource), id],
          about(resource),
        );
    }
  }

  for (const [resource, perService] of services) {
    if (seenStacks.get(resource.key) !== perService) continue;
    seenStacks.delete(resource.key);
    for (const [name, s] of perService) {
      const ext: Path = ['services', name, SWARM_EXTENSION];
      s.ids.forEach((id, i) => {
        if (s.used.has(id)) return;
        const message = unused(id, resource.file.path, `${SWARM_EXTENSION}.ignore`, `on service "${name}"`);
        const at = resource.locator.locate(s.listed ? [...ext, 'ignore', i] : [...ext, 'ignore']).range;
        if (message)
          emit(
            UNUSED_SUPPRESSION,
            resource.file.path,
            at,
            message,
            [SWARM_EXTENSION, ...identity(resource), name, id],
            about(resource),
          );
      });
      if (!s.reason && s.ids.length)
        emit(
          REASON_MISSING,
          resource.file.path,
          resource.locator.locate(ext).range,
          { messageId: 'noServiceReason', data: { name, ids: shownIds(s.ids, input.knownIds, ', ') } },
          [SWARM_EXTENSION, ...identity(resource), name],
          about(resource),
        );
    }
  }
  return out;
}

interface ServiceSource extends Source {
  reason: string | undefined;
  /** `ignore` was a list (each id has its own position) rather than a comma-separated string. */
  listed: boolean;
}

/** `services.<name>.x-shipshape: {ignore: [rule-id…] | "a,b", reason: …}` of a stack file. */
function serviceSources(r: Resource): Map<string, ServiceSource> {
  const out = new Map<string, ServiceSource>();
  if (r.platform !== 'swarm' || !isObject(r.value.services)) return out;
  for (const [name, service] of Object.entries(r.value.services)) {
    const ext = isObject(service) ? service[SWARM_EXTENSION] : undefined;
    if (!isObject(ext)) continue;
    const listed = Array.isArray(ext.ignore);
    const ids = listed
      ? (ext.ignore as unknown[]).map(String)
      : typeof ext.ignore === 'string'
        ? splitIds(ext.ignore)
        : [];
    const reason = typeof ext.reason === 'string' && ext.reason.trim() ? ext.reason.trim() : undefined;
    out.set(name, {
      ids,
      used: new Set(),
      reason,
      listed,
      justification: reason ?? `${SWARM_EXTENSION} on service "${name}"`,
    });
  }
  return out;
}

const annotationCache = new WeakMap<Resource, string[]>();

function annotationIds(r: Resource): string[] {
  let ids = annotationCache.get(r);
  if (!ids) {
    ids = splitIds(r.annotations[IGNORE_ANNOTATION] ?? '');
    annotationCache.set(r, ids);
  }
  return ids;
}

function splitIds(s: string): string[] {
  return [
    ...new Set(
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
}

function identity(r: Resource): string[] {
  return [r.kind, r.namespace ?? '', r.name ?? ''];
}

/** The resource fields of a finding about a suppression written in `r` (an object read from a cluster has no lines). */
function about(r: Resource): Partial<Finding> {
  return {
    resource: { kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.name ? { name: r.name } : {}) },
    ...(r.cluster !== undefined ? { cluster: r.cluster } : {}),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Rule ids as a message lists them: known ones by name, the others counted (they are not quoted). */
function shownIds(ids: readonly string[], known: ReadonlySet<string>, sep = ','): string {
  const named = ids.filter((id) => id === '*' || known.has(id));
  const other = ids.length - named.length;
  return [...named, ...(other ? [`${other} unknown id${other === 1 ? '' : 's'}`] : [])].join(sep);
}
