import {
  parseAllDocuments,
  parseDocument,
  visit,
  isAlias,
  type Document,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { posix } from 'node:path';
import type { Fix, FixChange, FixEdit, FixValue, Path } from '../model/types.js';
import {
  column,
  dashColumn,
  flowText,
  isBlockValue,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  itemLines,
  lineAfter,
  lineStart,
  pairLines,
  rangeOf,
  same,
  scalarText,
  styleAt,
  valueLines,
  documentLines,
  fileText,
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

/** Replace `text.slice(start, end)` with `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

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
}

/** Per-file state of the planning. */
interface Ctx {
  text: string;
  eol: string;
  docs: Document[];
  js: unknown[];
  pendings: Map<object, Map<string, Planned>>;
  appended: Map<object, FixValue[]>;
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
  if (/\{\{|\{%/.test(text)) return alone('left alone: template syntax');
  const docs = parseAllDocuments(text, { keepSourceTokens: true });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) return alone('left alone: the file does not parse');
  if (docs.some(hasAnchors)) return alone('left alone: the file has anchors or aliases');

  const c: Ctx = {
    text,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    docs,
    js: docs.map((d) => d.toJS()),
    pendings: new Map(),
    appended: new Map(),
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
      const p =
        edit.op === 'delete' ? planDelete(c, fix.doc, edit.path) : planSet(c, fix.doc, edit.path, edit.value, edit.op);
      if (typeof p === 'string') notes.push(`${edit.op} ${edit.path.join('.')}: ${p}`);
      else if ('planned' in p) {
        p.planned.sources.push(source);
        if (p.planned.sources.length === 1) planned.push(p.planned);
      } else planned.push({ ...p, sources: [source] });
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
        const insert = documentLines(n.value, styleAt(text, docs[n.doc]!, c.eol, at));
        planned.push({
          edit: { start: at, end: at, insert },
          sources: [{ doc: n.doc, edit: { op: 'document', ...n } }],
        });
      }
  }

  // The text edits, in the order the fixes gave them; one that overlaps an earlier one is left out.
  const edits: TextEdit[] = [];
  const kept: Source[] = [];
  const order: number[] = [];
  for (const p of planned) {
    const t = p.edit ?? renderPending(c, p.pending!);
    const what = p.sources.map((s) => describe(s.edit)).join(', ');
    if (typeof t === 'string') notes.push(`${what}: ${t}`);
    else if (edits.some((e) => e.start < t.end && t.start < e.end)) notes.push(`${what}: overlaps another edit`);
    else {
      order.push(edits.length);
      edits.push(atEnd(text, t, c.eol));
      kept.push(...p.sources);
    }
  }
  const filesApplied = files ? newDocs.length : 0;
  if (!edits.length) return { text, applied: filesApplied, notes, edits: [], ...(files ? { files } : {}) };
  // Front to back; at one offset, insertions in the order given, then the replacement that starts there.
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i)
    .map((x) => x.e);
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    out += text.slice(cursor, e.start) + e.insert;
    cursor = e.end;
  }
  out += text.slice(cursor);

  // The check: the edited text parses to the objects the edits describe, and to nothing else.
  const expected = expectedObjects(c.js, kept);
  const again = parseAllDocuments(out);
  const ok =
    Array.isArray(again) &&
    again.length === expected.length &&
    again.every((d, i) => !d.errors.length && same(d.toJS(), expected[i]));
  if (!ok) return alone('left alone: the edited text would not read as the fixed objects');
  return {
    text: out,
    applied: kept.length + filesApplied,
    notes,
    edits: sorted,
    ...(files ? { files } : {}),
  };
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

/** An edit at the end of a file without a final newline: a new line before the insertion, none after it. */
function atEnd(text: string, t: TextEdit, eol: string): TextEdit {
  if (!text.length || text.endsWith('\n') || t.end !== text.length || !t.insert.endsWith(eol)) return t;
  const body = t.insert.slice(0, -eol.length);
  return { ...t, insert: t.start === text.length ? eol + body : body };
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
          : wrap(replaceValue(c, d, node, pair, value));
      if (isNull(pair.value)) return pend(c, d, pair, seg, path.slice(i + 1), value, op);
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.items.length) return `there is no item ${seg}`;
      if (last && op === 'set')
        return equal(getJs(c.js[d], path), value)
          ? 'the item is already there'
          : wrap(replaceItem(c, d, node, seg, value));
      node = node.items[seg];
    } else return `${path.slice(0, i).join('.') || 'the document'} is not a mapping or sequence`;
  }
  if (!isSeq(node)) return 'the value is not a sequence';
  return wrap(appendItem(c, d, node, path, value));
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
  if (isMap(p.anchor)) return insertKey(c, p.doc, p.anchor, p.key, value);
  const map = parentMap(c.docs[p.doc]!, p.anchor);
  if (!map) return 'the key has no mapping';
  return replaceValue(c, p.doc, map, p.anchor, value);
}

function parentMap(doc: Document, pair: Pair): YAMLMap | undefined {
  let found: YAMLMap | undefined;
  visit(doc, {
    Map(_k, map) {
      if (map.items.includes(pair as never)) {
        found = map;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Replaces the value of `pair` in `map` (a scalar in place, keeping its quoting; a block value by its lines). */
function replaceValue(c: Ctx, d: number, map: YAMLMap, pair: Pair, value: FixValue): TextEdit | string {
  const { text } = c;
  const v = pair.value;
  const k = rangeOf(pair.key);
  const r = rangeOf(v);
  if (!k || !r) return 'the entry has no position';
  if (isScalar(v) && !isBlockValue(value)) return inline(text, r, scalarText(value, v.type), c.eol);
  if (map.flow || (isCollection(v) && v.flow)) return inline(text, r, flowText(value), c.eol);
  const col = column(text, k[0]);
  if (!isBlockValue(value)) {
    // A block collection becomes a scalar (or an empty one): after the key, in place of the lines.
    const colon = text.indexOf(':', k[1]);
    return { start: colon + 1, end: lineAfter(text, r[1]), insert: ` ${scalarText(value)}${c.eol}` };
  }
  const lines = valueLines(value, col, styleAt(text, c.docs[d]!, c.eol, r[0]));
  if (isCollection(v)) return { start: lineStart(text, r[0]), end: lineAfter(text, r[1]), insert: lines };
  // A scalar becomes a block value: the lines after the key (keeping a comment on the key's line).
  const colon = text.indexOf(':', k[1]);
  const lineEnd = lineAfter(text, r[1]);
  const rest = text.slice(r[1], lineEnd).trim();
  const comment = rest.startsWith('#') ? ` ${rest}` : '';
  return { start: colon + 1, end: lineEnd, insert: `${comment}${c.eol}${lines}` };
}

/** A one-line value at range `r` (an empty null value gets a space after its colon). */
function inline(text: string, r: [number, number, number], insert: string, eol: string): TextEdit {
  // A block scalar's range takes its line ends: the new value ends its line too.
  if (r[0] !== r[1]) return { start: r[0], end: r[1], insert: text[r[1] - 1] === '\n' ? insert + eol : insert };
  const before = text[r[0] - 1] === ':' ? ' ' : '';
  const after = text[r[0]] === '#' ? ' ' : '';
  return { start: r[0], end: r[0], insert: `${before}${insert}${after}` };
}

/** Replaces sequence item `i` (a scalar in place, a block item by its lines). */
function replaceItem(c: Ctx, d: number, seq: YAMLSeq, i: number, value: FixValue): TextEdit | string {
  const { text } = c;
  const v = seq.items[i];
  const r = rangeOf(v);
  if (!r) return 'the item has no position';
  if (isScalar(v) && !isBlockValue(value)) return inline(text, r, scalarText(value, v.type), c.eol);
  if (seq.flow || (isCollection(v) && v.flow)) return inline(text, r, flowText(value), c.eol);
  const dash = dashColumn(text, v);
  if (dash === undefined) return 'the item has no dash';
  const lines = itemLines(value, dash, styleAt(text, c.docs[d]!, c.eol, r[0]));
  return { start: r[0], end: lineAfter(text, r[1]), insert: lines.slice(dash + 2) };
}

/** A new last item of `seq` (nothing when an equal item is there). */
function appendItem(c: Ctx, d: number, seq: YAMLSeq, path: Path, value: FixValue): TextEdit | string {
  const { text } = c;
  const current = getJs(c.js[d], path);
  const added = c.appended.get(seq) ?? [];
  if ((Array.isArray(current) && current.some((x) => equal(x, value))) || added.some((x) => equal(x, value)))
    return 'an equal item is already there';
  c.appended.set(seq, [...added, value]);
  const last = seq.items[seq.items.length - 1];
  const r = rangeOf(seq);
  if (!r) return 'the sequence has no position';
  if (seq.flow) {
    const lr = rangeOf(last);
    if (!lr) {
      const open = text.indexOf('[', r[0]);
      return { start: open + 1, end: open + 1, insert: `${added.length ? ', ' : ''}${flowText(value)}` };
    }
    return { start: lr[1], end: lr[1], insert: `, ${flowText(value)}` };
  }
  const lr = rangeOf(last);
  const dash = dashColumn(text, last);
  if (!lr || dash === undefined) return 'the last item has no dash';
  const at = lineAfter(text, lr[1]);
  return { start: at, end: at, insert: itemLines(value, dash, styleAt(text, c.docs[d]!, c.eol, at)) };
}

/** A new key under an existing mapping: a line (or block) after its last entry, or `, key: value` in a flow one. */
function insertKey(c: Ctx, d: number, map: YAMLMap, key: string, value: FixValue): TextEdit | string {
  const { text } = c;
  const r = rangeOf(map);
  if (!r) return 'the mapping has no position';
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    const end = last && (rangeOf(last.value)?.[1] ?? rangeOf(last.key)?.[1]);
    const entry = `${flowText({ [key]: value }).slice(1, -1)}`;
    if (end === undefined) {
      const open = text.indexOf('{', r[0]);
      const before = [...(c.pendings.get(map)?.keys() ?? [])].indexOf(key) > 0 ? ', ' : '';
      return { start: open + 1, end: open + 1, insert: `${before}${entry}` };
    }
    return { start: end, end, insert: `, ${entry}` };
  }
  const first = rangeOf(map.items[0]?.key);
  if (!first || !last) return 'the mapping is empty';
  const at = lineAfter(text, rangeOf(last.value)?.[1] ?? rangeOf(last.key)![1]);
  return {
    start: at,
    end: at,
    insert: pairLines(key, value, column(text, first[0]), styleAt(text, c.docs[d]!, c.eol, at)),
  };
}

/** `delete` at `path`: the entry's (item's) lines in a block collection, the entry and its comma in a flow one. */
function planDelete(c: Ctx, d: number, path: Path): { edit: TextEdit } | string {
  const { text } = c;
  const seg = path[path.length - 1];
  const parentPath = path.slice(0, -1);
  const doc = c.docs[d]!;
  const parent: unknown = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  let spans: { start: number; end: number }[];
  let i: number;
  let item: unknown;
  if (isMap(parent) && typeof seg === 'string') {
    i = parent.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === seg);
    if (i < 0) return 'nothing to delete';
    spans = parent.items.map((p) => {
      const k = rangeOf(p.key)!;
      return { start: k[0], end: rangeOf(p.value)?.[1] ?? k[1] };
    });
    item = parent.items[i]!.key;
  } else if (isSeq(parent) && typeof seg === 'number') {
    i = seg;
    if (i < 0 || i >= parent.items.length) return 'nothing to delete';
    spans = parent.items.map((x) => ({ start: rangeOf(x)![0], end: rangeOf(x)![1] }));
    item = parent.items[i];
  } else return 'nothing to delete';
  const n = spans.length;
  const s = spans[i]!;
  if ((parent as YAMLMap | YAMLSeq).flow) {
    if (i < n - 1) return { edit: { start: s.start, end: spans[i + 1]!.start, insert: '' } };
    if (i > 0) return { edit: { start: spans[i - 1]!.end, end: s.end, insert: '' } };
    return { edit: { start: s.start, end: s.end, insert: '' } };
  }
  if (n < 2) return isMap(parent) ? 'the mapping would be empty' : 'the sequence would be empty';
  let from = s.start;
  if (isSeq(parent)) {
    const dash = dashColumn(text, item);
    if (dash === undefined) return 'the item has no dash';
    from = lineStart(text, s.start) + dash;
    if (text.slice(lineStart(text, s.start), from).trim() !== '' || text[from] !== '-')
      return 'the item does not start its line';
  }
  const start = lineStart(text, from);
  if (text.slice(start, from).trim() !== '') return 'the key does not start its line';
  return { edit: { start, end: lineAfter(text, s.end), insert: '' } };
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
  const out = structuredClone(js);
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
  for (let d = out.length - 1; d >= 0; d--) {
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
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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
