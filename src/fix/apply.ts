import { parseAllDocuments, parseDocument, visit, isAlias, type Document, type Pair, type YAMLMap } from 'yaml';
import { posix } from 'node:path';
import type { Fix, FixChange, FixEdit, FixValue, Path } from '../model/types.js';
import {
  appendItem,
  atEnd,
  deleteEntry,
  EMPTY_MAP,
  EMPTY_SEQ,
  documentLines,
  fileText,
  insertKey,
  isMap,
  isScalar,
  isSeq,
  parentMap,
  rangeOf,
  replaceItem,
  replaceValue,
  same,
  styleNear,
  styleOf,
  type Place,
  type TextEdit,
} from './yaml-text.js';

/** What fixing one file gave: the new text (the input when nothing applied), and why edits were left out. */
export interface FileFix {
  text: string;
  /** Edits made. */
  applied: number;
  /** Why the whole file, or an edit, was left alone. */
  notes: string[];
  /** The text edits made, as offsets into the input text (for JSON/SARIF `changes` and review suggestions). */
  edits: TextEdit[];
  /**
   * Other files the fixes change (a `document` edit in a kustomize directory): a new file beside this one (`create`,
   * its one edit 0–0 inserting the whole text) and the kustomization listing it in `resources:`. Paths are relative
   * to the same directory as the finding's file path given in `context.file`.
   */
  files?: { file: string; text: string; create: boolean; edits: TextEdit[] }[];
}

export type { TextEdit } from './yaml-text.js';

/** Where the file is, for `document` edits in a kustomize directory: `read` reads a file by path (undefined: none). */
export interface FixContext {
  file: string;
  read(path: string): string | undefined;
}

type Source = { doc: number; edit: FixEdit };

/** Edits under one key that does not exist yet (or whose value is null), merged into one block. */
interface Pending {
  doc: number;
  /** The mapping the key goes into, or the pair whose null value is replaced. */
  anchor: YAMLMap | Pair;
  key: string;
  holder: Record<string, unknown>;
}

interface Planned {
  edit?: TextEdit;
  pending?: Pending;
  sources: Source[];
  /** The path of the existing node the edit replaces or deletes: an edit inside it conflicts. */
  owned?: Path;
}

/** Per-file state of the planning. */
interface Ctx {
  text: string;
  eol: string;
  docs: Document[];
  js: unknown[];
  pendings: Map<object, Map<string, Planned>>;
  appended: Map<object, FixValue[]>;
  places: Map<number, Place>;
  directives: boolean;
}

/**
 * Applies a file's fixes as text edits found through `yaml`'s Document API: the nodes' source ranges say where each
 * edit lands, and only those bytes change, so comments, quoting, flow style and untouched lines stay byte-identical
 * (`yaml`'s own re-serialisation does not keep them: it respaces comments and flow mappings). The result is parsed
 * again and must give the objects the edits describe, else the file is left alone. Files with template syntax,
 * anchors or aliases, or parse errors are left alone. `kind`: the kind of the object the finding is about, checked
 * against the document's. Edits that overlap an earlier one are left out with a note; `set`s under the same missing
 * key are merged into one block. `append` of an item equal to one already there changes nothing (so a second run
 * changes nothing). `context`: where the file is, for `document` edits in a kustomize directory (see `FileFix.files`).
 */
export function applyFixes(text: string, fixes: readonly Fix[], kind?: string, context?: FixContext): FileFix {
  const alone = (why: string): FileFix => ({ text, applied: 0, notes: [why], edits: [] });
  const file = parsed(text);
  if (typeof file === 'string') return alone(file);
  const { docs } = file;

  const c: Ctx = {
    text,
    eol: file.eol,
    docs,
    js: file.js,
    directives: file.directives,
    pendings: new Map(),
    appended: new Map(),
    places: new Map(),
  };
  const notes: string[] = [];
  const planned: Planned[] = [];
  const newDocs: { doc: number; value: { [key: string]: FixValue }; name: string }[] = [];
  for (const fix of fixes) {
    const doc = docs[fix.doc];
    // A Swarm stack (kind `Stack`) is a compose document: it has no `kind` to compare.
    if (!doc || (kind !== undefined && kind !== 'Stack' && doc.get('kind') !== kind)) {
      notes.push(`document ${fix.doc} is not the ${kind ?? ''} the finding is about`);
      continue;
    }
    for (const edit of fix.edits) {
      const source = { doc: fix.doc, edit };
      if (edit.op === 'document') {
        if (c.js.some((d) => equal(d, edit.value)) || newDocs.some((d) => equal(d.value, edit.value)))
          notes.push(`document ${edit.name}: an equal document is already there`);
        else newDocs.push({ doc: fix.doc, value: edit.value, name: edit.name });
        continue;
      }
      const p = tryPlan(() =>
        edit.op === 'delete' ? planDelete(c, fix.doc, edit.path) : planSet(c, fix.doc, edit.path, edit.value, edit.op),
      );
      if (typeof p === 'string') notes.push(`${edit.op} ${edit.path.join('.')}: ${p}`);
      else if ('planned' in p) {
        p.planned.sources.push(source);
        if (p.planned.sources.length === 1) planned.push(p.planned);
      } else planned.push({ owned: edit.op === 'append' ? undefined : edit.path, ...p, sources: [source] });
    }
  }

  // Where the new documents go: a new file listed in the kustomization, or after their document.
  let files: FileFix['files'];
  if (newDocs.length) {
    const k = context && kustomization(context);
    if (k) {
      const out = newFiles(k, context, newDocs, c.eol);
      if (typeof out === 'string') notes.push(`document: ${out}`);
      else files = out;
    } else
      for (const n of newDocs) {
        const next = docs[n.doc + 1];
        const at = next ? rangeOf(next)![0] : text.length;
        const insert = documentLines(n.value, place(c, n.doc).style(at));
        planned.push({
          edit: { start: at, end: at, insert },
          sources: [{ doc: n.doc, edit: { op: 'document', ...n } }],
        });
      }
  }

  // The text edits, in the order the fixes gave them; one that overlaps an earlier one is left out.
  const edits: TextEdit[] = [];
  /** Per edit: how deep its lines start (-1 for a new document), to order insertions at one offset. */
  const depth: number[] = [];
  const kept: Source[] = [];
  const keptPlans: Planned[] = [];
  for (const p of planned) {
    const t = p.edit ?? tryPlan(() => renderPending(c, p.pending!));
    const what = p.sources.map((s) => describe(s.edit)).join(', ');
    if (typeof t === 'string') notes.push(`${what}: ${t}`);
    else if (edits.some((e) => e.start < t.end && t.start < e.end) || keptPlans.some((k) => conflict(k, p)))
      notes.push(`${what}: overlaps another edit`);
    else {
      const e = atEnd(text, t, c.eol);
      edits.push(e);
      // A value written in its line (after a key's colon at the end of the file) before lines inserted there.
      const inLine = e.start > 0 && text[e.start - 1] !== '\n' && !e.insert.startsWith(c.eol);
      depth.push(p.sources[0]!.edit.op === 'document' ? -1 : inLine ? Infinity : depthOf(t.insert));
      kept.push(...p.sources);
      keptPlans.push(p);
    }
  }
  const filesApplied = files ? newDocs.length : 0;
  if (!edits.length) return { text, applied: filesApplied, notes, edits: [], ...(files ? { files } : {}) };
  // Front to back. At one offset: insertions first, the deeper ones before (an item of a sequence that ends there
  // before a key of the mapping around it, a new document last), else in the order given; then the replacement.
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || depth[b.i]! - depth[a.i]! || a.i - b.i)
    .map((x) => x.e);
  // The check: the edited text parses to the objects the edits describe, and to nothing else.
  if (!readsAsFixed(c, sorted, kept)) return alone('left alone: the edited text would not read as the fixed objects');
  // The whole new text is built when asked for (the reports only want the edits, finding by finding).
  let out: string | undefined;
  return {
    get text(): string {
      return (out ??= edited(text, sorted, 0, text.length));
    },
    applied: kept.length + filesApplied,
    notes,
    edits: sorted,
    ...(files ? { files } : {}),
  };
}

/** `text.slice(from, to)` with the edits inside it made (`edits` sorted, none straddling `from` or `to`). */
function edited(text: string, edits: readonly TextEdit[], from: number, to: number): string {
  let out = '';
  let cursor = from;
  for (const e of edits) {
    if (e.start < from || e.start > to) continue;
    out += text.slice(cursor, e.start) + e.insert;
    cursor = e.end;
  }
  return out + text.slice(cursor, to);
}

/** A file as parsed once: `--fix` and the reports ask for the fixes of one file finding by finding. */
interface ParsedFile {
  docs: Document[];
  js: unknown[];
  eol: string;
  /** The file has `%` directives: checked whole. */
  directives: boolean;
}

let lastParsed: { text: string; file: ParsedFile | string } | undefined;

/** The file's documents and their values, or why the file is left alone (the last file's parse is kept). */
function parsed(text: string): ParsedFile | string {
  if (lastParsed?.text === text) return lastParsed.file;
  let file: ParsedFile | string;
  if (/\{\{|\{%/.test(text)) file = 'left alone: template syntax';
  else {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) file = 'left alone: the file does not parse';
    else if (docs.some(hasAnchors)) file = 'left alone: the file has anchors or aliases';
    else
      file = {
        docs,
        js: docs.map((d) => d.toJS()),
        eol: text.includes('\r\n') ? '\r\n' : '\n',
        directives: /^%/m.test(text),
      };
  }
  lastParsed = { text, file };
  return file;
}

/**
 * The check: the edited text parses to the objects the edits describe, and to nothing else. In a file of many
 * documents only the run of documents the edits touch is parsed again (from the first one's start, with its `---`, to
 * the last one's end): the bytes around it are unchanged, and a run that parses cleanly to exactly the expected
 * documents ends where it did. A file with directives (`%YAML`) is parsed whole.
 */
function readsAsFixed(c: Ctx, edits: readonly TextEdit[], kept: Source[]): boolean {
  const expected = expectedObjects(c.js, kept);
  const touched = kept.map((k) => k.doc);
  const lo = Math.min(...touched);
  const hi = Math.max(...touched);
  const whole = c.docs.length <= 4 || c.directives;
  const from = whole ? 0 : rangeOf(c.docs[lo]!)![0];
  const to = whole ? c.text.length : c.docs[hi + 1] ? rangeOf(c.docs[hi + 1]!)![0] : c.text.length;
  // Every edit lies in the run (an insertion at its end too: a new document), else the file is parsed whole.
  if (!whole && edits.some((e) => e.start < from || e.end > to)) return readsAsFixedWhole(c, edits, expected);
  const again = parseAllDocuments(edited(c.text, edits, from, to));
  const want = whole ? expected : expected.slice(lo, hi + 1 + (expected.length - c.js.length));
  return (
    Array.isArray(again) &&
    again.length === want.length &&
    again.every((d, i) => !d.errors.length && same(d.toJS(), want[i]))
  );
}

function readsAsFixedWhole(c: Ctx, edits: readonly TextEdit[], expected: unknown[]): boolean {
  const again = parseAllDocuments(edited(c.text, edits, 0, c.text.length));
  return (
    Array.isArray(again) &&
    again.length === expected.length &&
    again.every((d, i) => !d.errors.length && same(d.toJS(), expected[i]))
  );
}

/** A placement that throws (a node without a position) is a note, never a crash. */
function tryPlan<T>(plan: () => T): T | string {
  try {
    return plan();
  } catch (e) {
    return `not placed: ${(e as Error).message}`;
  }
}

/**
 * How deep inserted lines start: twice their column, plus one for a `- ` item (a sequence written at its key's column
 * ends before a new key at that column).
 */
function depthOf(insert: string): number {
  const indent = /^ */.exec(insert)![0].length;
  return indent * 2 + (insert.startsWith('-', indent) ? 1 : 0);
}

/** Two edits conflict when one replaces or deletes a node the other edits inside (or the same node). */
function conflict(a: Planned, b: Planned): boolean {
  const inside = (owner: Planned, other: Planned): boolean => {
    const owned = owner.owned;
    if (!owned) return false;
    return other.sources.some(
      (s) =>
        s.doc === owner.sources[0]!.doc &&
        s.edit.op !== 'document' &&
        owned.every((seg, i) => s.edit.op !== 'document' && s.edit.path[i] === seg),
    );
  };
  return inside(a, b) || inside(b, a);
}

function describe(edit: FixEdit): string {
  return edit.op === 'document' ? `document ${edit.name}` : `${edit.op} ${edit.path.join('.')}`;
}

function hasAnchors(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node) || ('anchor' in node && node.anchor)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function keyOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

/** `set` (or `append`) at `path`: replaces the value, or plans the missing keys under the deepest existing mapping. */
function planSet(
  c: Ctx,
  d: number,
  path: Path,
  value: FixValue,
  op: 'set' | 'append',
): { edit: TextEdit } | { planned: Planned } | string {
  let node: unknown = c.docs[d]!.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      if (typeof seg !== 'string') return `${path.slice(0, i).join('.') || 'the document'} is a mapping`;
      const pair = keyOf(node, seg);
      if (!pair) return pend(c, d, node, seg, path.slice(i + 1), value, op);
      if (last && op === 'set')
        return equal(getJs(c.js[d], path), value)
          ? 'the value is already there'
          : wrap(replaceValue(place(c, d), node, pair, value));
      if (isNull(pair.value)) return pend(c, d, pair, seg, path.slice(i + 1), value, op);
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.items.length) return `there is no item ${seg}`;
      if (last && op === 'set')
        return equal(getJs(c.js[d], path), value)
          ? 'the item is already there'
          : wrap(replaceItem(place(c, d), node, seg, value));
      node = node.items[seg];
    } else return `${path.slice(0, i).join('.') || 'the document'} is not a mapping or sequence`;
  }
  if (!isSeq(node)) return 'the value is not a sequence';
  const current = getJs(c.js[d], path);
  const added = c.appended.get(node) ?? [];
  if ((Array.isArray(current) && current.some((x) => equal(x, value))) || added.some((x) => equal(x, value)))
    return 'an equal item is already there';
  c.appended.set(node, [...added, value]);
  return wrap(appendItem(place(c, d), node, value, added.length));
}

/**
 * `delete` at `path`: the entry's lines (see `deleteEntry`). The only entry of a block mapping (item of a block
 * sequence) under a key leaves `{}` (`[]`) there, so the text reads as the emptied collection it is.
 */
function planDelete(c: Ctx, d: number, path: Path): { edit: TextEdit; owned?: Path } | string {
  const doc = c.docs[d]!;
  const parent = parentOf(doc, path);
  const t = deleteEntry(place(c, d), parent, path[path.length - 1]);
  if (t !== EMPTY_MAP && t !== EMPTY_SEQ) return wrap(t);
  const up = path.slice(0, -1);
  const key = up[up.length - 1];
  const grand = up.length ? parentOf(doc, up) : undefined;
  const pair = isMap(grand) && typeof key === 'string' ? keyOf(grand, key) : undefined;
  if (!pair) return t;
  const empty = replaceValue(place(c, d), grand as YAMLMap, pair, t === EMPTY_MAP ? {} : []);
  return typeof empty === 'string' ? empty : { edit: empty, owned: up };
}

function parentOf(doc: Document, path: Path): unknown {
  return path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
}

/** Where to write in document `d`, in the style of the file around a place (computed once per document). */
function place(c: Ctx, d: number): Place {
  let p = c.places.get(d);
  if (!p) {
    const { indent, seqs } = styleOf(c.text, c.docs[d]!);
    p = { text: c.text, eol: c.eol, style: (at) => styleNear(c.eol, indent, seqs, at) };
    c.places.set(d, p);
  }
  return p;
}

function wrap(t: TextEdit | string): { edit: TextEdit } | string {
  return typeof t === 'string' ? t : { edit: t };
}

/** The `set`/`append` under a missing key (or a null value): merged with the others under the same key. */
function pend(
  c: Ctx,
  d: number,
  anchor: YAMLMap | Pair,
  key: string,
  rest: Path,
  value: FixValue,
  op: 'set' | 'append',
): { planned: Planned } | string {
  let byKey = c.pendings.get(anchor);
  if (!byKey) c.pendings.set(anchor, (byKey = new Map()));
  const known = byKey.get(key);
  const holder = known?.pending!.holder ?? {};
  const err = leafOp(holder, [key, ...rest], value, op);
  if (err) return err;
  if (known) return { planned: known };
  const planned: Planned = { pending: { doc: d, anchor, key, holder }, sources: [] };
  byKey.set(key, planned);
  return { planned };
}

/** Applies a `set`/`append` to plain objects, creating missing mappings; a string says why not. */
function leafOp(root: Record<string, unknown>, path: Path, value: FixValue, op: 'set' | 'append'): string | undefined {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (typeof seg !== 'string') return 'a missing sequence is not created item by item';
    const next = node[seg];
    if (next === undefined || next === null) node[seg] = {};
    else if (typeof next !== 'object' || Array.isArray(next)) return 'overlaps another edit';
    node = node[seg] as Record<string, unknown>;
  }
  const k = path[path.length - 1]!;
  if (typeof k !== 'string') return 'a missing sequence is not created item by item';
  const cur = node[k];
  if (op === 'set') {
    if (cur !== undefined && !same(cur, value)) return 'overlaps another edit';
    node[k] = structuredClone(value);
  } else if (cur === undefined || cur === null) node[k] = [structuredClone(value)];
  else if (!Array.isArray(cur)) return 'overlaps another edit';
  else if (!cur.some((x) => equal(x, value))) cur.push(structuredClone(value));
  return undefined;
}

function renderPending(c: Ctx, p: Pending): TextEdit | string {
  const value = p.holder[p.key] as FixValue;
  if (isMap(p.anchor))
    return insertKey(place(c, p.doc), p.anchor, p.key, value, [...c.pendings.get(p.anchor)!.keys()].indexOf(p.key));
  const map = parentMap(c.docs[p.doc]!, p.anchor);
  if (!map) return 'the key has no mapping';
  return replaceValue(place(c, p.doc), map, p.anchor, value);
}

function getJs(root: unknown, path: Path): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/** Deep equality, key order aside. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The documents' objects with the kept edits made: deletes last (items from the back), new documents after theirs. */
function expectedObjects(js: unknown[], kept: Source[]): unknown[] {
  // Only the documents the edits touch are copied: a file can hold thousands.
  const out = js.slice();
  for (const d of new Set(kept.map((k) => k.doc))) out[d] = structuredClone(out[d]);
  const deletes = kept.filter((s) => s.edit.op === 'delete');
  const idx = (s: Source): number => {
    const p = (s.edit as { path: Path }).path;
    const last = p[p.length - 1];
    return typeof last === 'number' ? last : -1;
  };
  for (const s of kept) {
    const e = s.edit;
    if (e.op === 'set' || e.op === 'append') out[s.doc] = jsOp(out[s.doc], e.path, e.value, e.op);
  }
  for (const s of [...deletes].sort((a, b) => idx(b) - idx(a))) {
    const p = (s.edit as { path: Path }).path;
    const parent = getJs(out[s.doc], p.slice(0, -1));
    const last = p[p.length - 1]!;
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
  }
  const docs = kept.filter((s) => s.edit.op === 'document');
  for (const d of [...new Set(docs.map((s) => s.doc))].sort((a, b) => b - a)) {
    const mine = docs.filter((s) => s.doc === d).map((s) => (s.edit as { value: unknown }).value);
    out.splice(d + 1, 0, ...structuredClone(mine));
  }
  return out;
}

function jsOp(root: unknown, path: Path, value: FixValue, op: 'set' | 'append'): unknown {
  const holder: Record<string | number, unknown> = { r: root };
  let node = holder;
  const full: Path = ['r', ...path];
  for (let i = 0; i < full.length - 1; i++) {
    const seg = full[i]!;
    const next = node[seg];
    if (next === null || next === undefined || typeof next !== 'object') node[seg] = {};
    node = node[seg] as Record<string | number, unknown>;
  }
  const k = full[full.length - 1]!;
  if (op === 'set') node[k] = structuredClone(value);
  else {
    const cur = node[k];
    if (!Array.isArray(cur)) node[k] = [structuredClone(value)];
    else if (!cur.some((x) => equal(x, value))) cur.push(structuredClone(value));
  }
  return holder['r'];
}

const KUSTOMIZATIONS = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization beside `context.file` whose `resources:` lists it, if any. */
function kustomization(context: FixContext): { file: string; text: string } | undefined {
  const file = context.file.replace(/\\/g, '/');
  const dir = posix.dirname(file);
  const base = posix.basename(file);
  for (const name of KUSTOMIZATIONS) {
    const k = posix.join(dir, name);
    const text = context.read(k);
    if (text === undefined) continue;
    let resources: unknown;
    try {
      resources = (parseDocument(text).toJS() as { resources?: unknown } | null)?.resources;
    } catch {
      return undefined;
    }
    const listed =
      Array.isArray(resources) &&
      resources.some((r) => typeof r === 'string' && posix.normalize(r.replace(/^\.\//, '')) === base);
    return listed ? { file: k, text } : undefined;
  }
  return undefined;
}

/** The new files for `document` edits in a kustomize directory, and the kustomization listing them. */
function newFiles(
  k: { file: string; text: string },
  context: FixContext,
  docs: { value: { [key: string]: FixValue }; name: string }[],
  eol: string,
): NonNullable<FileFix['files']> | string {
  const dir = posix.dirname(k.file);
  const taken = new Set<string>();
  const created: NonNullable<FileFix['files']> = [];
  for (const d of docs) {
    const stem = d.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'resource';
    let name = `${stem}.yaml`;
    for (let i = 2; taken.has(name) || context.read(posix.join(dir, name)) !== undefined; i++)
      name = `${stem}-${i}.yaml`;
    taken.add(name);
    const text = fileText(d.value, eol);
    if (!same(parseDocument(text).toJS(), d.value)) return `${name} would not read as the new object`;
    created.push({ file: posix.join(dir, name), text, create: true, edits: [{ start: 0, end: 0, insert: text }] });
  }
  const listed = applyFixes(k.text, [
    { doc: 0, edits: created.map((f) => ({ op: 'append', path: ['resources'], value: posix.basename(f.file) })) },
  ]);
  if (listed.applied !== created.length) return `${k.file}: ${listed.notes.join('; ') || 'not changed'}`;
  return [{ file: k.file, text: listed.text, create: false, edits: listed.edits }, ...created];
}

/** Text edits as `FixChange`s of `file`: 1-based lines and columns of the input text, the end column exclusive. */
export function toChanges(text: string, file: string, edits: readonly TextEdit[], create?: boolean): FixChange[] {
  const starts = lineStarts(text);
  const at = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
  return [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => {
      const s = at(e.start);
      const t = at(e.end);
      return {
        file,
        range: { startLine: s.line, startColumn: s.column, endLine: t.line, endColumn: t.column },
        text: e.insert,
        ...(create ? { create: true } : {}),
      };
    });
}

let lastLines: { text: string; starts: number[] } | undefined;

/** The offsets where the lines of `text` start (the last text's are kept: the reports ask finding by finding). */
function lineStarts(text: string): number[] {
  if (lastLines?.text === text) return lastLines.starts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  lastLines = { text, starts };
  return starts;
}
