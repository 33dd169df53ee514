import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  stringify,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { FixValue } from '../model/types.js';

/** Replace `text.slice(start, end)` with `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/** How a file writes YAML: its line ending, indentation step, and whether `- ` items sit deeper than their key. */
export interface Style {
  eol: string;
  indent: number;
  indentSeq: boolean;
}

/** A node's source range: start, value end, node end (trailing comment included). */
export type Range3 = [number, number, number];

export function rangeOf(node: unknown): Range3 | undefined {
  return (node as { range?: Range3 | null } | null)?.range ?? undefined;
}

/**
 * Where a node's content ends: the end of its last scalar (a block collection's own range runs on over the comments
 * after it, up to the next key's indentation).
 */
export function contentEnd(node: unknown): number {
  if (isPair(node)) return node.value != null ? contentEnd(node.value) : rangeOf(node.key)![1];
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length)
    return contentEnd(node.items[node.items.length - 1]);
  const r = rangeOf(node);
  if (!r) throw new Error('a node without a position');
  return r[1];
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one `end` is on (a block value's end is already a line start). */
export function lineAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The column of the `- ` of a block sequence item, or undefined when the item does not follow a dash. */
export function dashColumn(text: string, item: unknown): number | undefined {
  const r = rangeOf(item);
  if (!r) return undefined;
  let i = r[0] - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  return text[i] === '-' ? column(text, i) : undefined;
}

/**
 * The file's indentation step (the first nested block mapping's offset from its key, else 2) and, per place, its
 * sequence style: `indentSeq` from the block sequence under a key nearest to that place (indented when there is none).
 */
export function styleOf(text: string, doc: Document): { indent: number; seqs: { at: number; indented: boolean }[] } {
  let indent = 0;
  const seqs: { at: number; indented: boolean }[] = [];
  visit(doc, {
    Pair(_k, pair) {
      const k = rangeOf(pair.key);
      const v = pair.value;
      if (!k) return;
      if (!indent && isMap(v) && !v.flow && v.items[0]) {
        const first = rangeOf(v.items[0].key);
        if (first && text.lastIndexOf('\n', first[0]) >= k[0]) indent = column(text, first[0]) - column(text, k[0]);
      }
      if (isSeq(v) && !v.flow && v.items.length) {
        const dash = dashColumn(text, v.items[0]);
        const r = rangeOf(v);
        if (dash !== undefined && r) seqs.push({ at: r[0], indented: dash > column(text, k[0]) });
      }
    },
  });
  return { indent: indent > 0 && indent <= 8 ? indent : 2, seqs };
}

/** Where edits are written: the file's text and line ending, and its style near an offset. */
export interface Place {
  text: string;
  eol: string;
  style(at: number): Style;
}

export function styleNear(eol: string, indent: number, seqs: { at: number; indented: boolean }[], at: number): Style {
  let best: { at: number; indented: boolean } | undefined;
  for (const s of seqs) if (!best || Math.abs(s.at - at) < Math.abs(best.at - at)) best = s;
  return { eol, indent, indentSeq: best?.indented ?? true };
}

/** YAML 1.1 quoting (`"on"`, `"yes"`, `"0755"`), so that Kubernetes' and Compose's parsers read strings as strings. */
function yaml(value: unknown, style: Style): string {
  return stringify(value, { version: '1.1', lineWidth: 0, indent: style.indent, indentSeq: style.indentSeq });
}

/** `text` (YAML ending with `\n`) with every non-empty line indented by `column` spaces and the file's line ending. */
export function indented(text: string, col: number, eol: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((l) => (l === '' ? '' : ' '.repeat(col) + l) + eol).join('');
}

/** The lines of a `key: value` entry at `col` (a mapping or sequence value written as block YAML under it). */
export function pairLines(key: string, value: FixValue, col: number, style: Style): string {
  return indented(yaml({ [key]: value }, style), col, style.eol);
}

/** The lines of a block value under a key at `col` (the entry's lines without its first). */
export function valueLines(value: FixValue, col: number, style: Style): string {
  const lines = pairLines('k', value, col, style);
  return lines.slice(lines.indexOf(style.eol) + style.eol.length);
}

/** The lines of a `- value` sequence item whose dash is at `col`. */
export function itemLines(value: FixValue, col: number, style: Style): string {
  return indented(yaml([value], style), col, style.eol);
}

export function isBlockValue(value: FixValue): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

/** A scalar (or an empty `{}`/`[]`) as YAML on one line, in the quoting of the scalar it replaces when it had one. */
export function scalarText(value: FixValue, type?: string | null): string {
  if (value !== null && typeof value === 'object') return flowText(value);
  if (typeof value !== 'string') return String(value);
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  const out = stringify(value, { version: '1.1', lineWidth: 0 }).replace(/\n$/, '');
  return out.includes('\n') ? JSON.stringify(value) : out;
}

/** A value in flow style: `{name: x, value: "1"}`, `[a, b]`. */
export function flowText(value: FixValue): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${flowScalar(k)}: ${flowText(v)}`)
      .join(', ')}}`;
  return flowScalar(value);
}

function flowScalar(value: string | number | boolean | null): string {
  const s = scalarText(value);
  return typeof value === 'string' && /[,[\]{}]/.test(s) && !/^["']/.test(s) ? JSON.stringify(value) : s;
}

/** Deep equality of plain JSON values. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function isCollection(node: unknown): node is Node & { flow?: boolean } {
  return isMap(node) || isSeq(node);
}

export { isMap, isPair, isScalar, isSeq };

/** A new document: `---` and the value as block YAML, in the file's line endings. */
export function documentLines(value: FixValue, style: Style): string {
  return `---${style.eol}${indented(yaml(value, style), 0, style.eol)}`;
}

/** A whole new file holding `value`. */
export function fileText(value: FixValue, eol: string): string {
  return indented(yaml(value, { eol, indent: 2, indentSeq: true }), 0, eol);
}
/** An edit at the end of a file without a final newline: a new line before the insertion, none after it. */
export function atEnd(text: string, t: TextEdit, eol: string): TextEdit {
  if (!text.length || text.endsWith('\n') || t.end !== text.length || !t.insert.endsWith(eol)) return t;
  const body = t.insert.slice(0, -eol.length);
  return { ...t, insert: t.start === text.length ? eol + body : body };
}

export function parentMap(doc: Document, pair: Pair): YAMLMap | undefined {
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
export function replaceValue(c: Place, map: YAMLMap, pair: Pair, value: FixValue): TextEdit | string {
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
    return { start: colon + 1, end: lineAfter(text, contentEnd(v)), insert: ` ${scalarText(value)}${c.eol}` };
  }
  const lines = valueLines(value, col, c.style(r[0]));
  if (isCollection(v)) return { start: lineStart(text, r[0]), end: lineAfter(text, contentEnd(v)), insert: lines };
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
export function replaceItem(c: Place, seq: YAMLSeq, i: number, value: FixValue): TextEdit | string {
  const { text } = c;
  const v = seq.items[i];
  const r = rangeOf(v);
  if (!r) return 'the item has no position';
  if (isScalar(v) && !isBlockValue(value)) return inline(text, r, scalarText(value, v.type), c.eol);
  if (seq.flow || (isCollection(v) && v.flow)) return inline(text, r, flowText(value), c.eol);
  const dash = dashColumn(text, v);
  if (dash === undefined) return 'the item has no dash';
  const lines = itemLines(value, dash, c.style(r[0]));
  return { start: r[0], end: lineAfter(text, contentEnd(v)), insert: lines.slice(dash + 2) };
}

/** A new last item of `seq`: `- item` lines after the last one, or `, item` in a flow sequence (`nth`: how many
 * items were added before this one at the same place). */
export function appendItem(c: Place, seq: YAMLSeq, value: FixValue, nth: number): TextEdit | string {
  const { text } = c;
  const last = seq.items[seq.items.length - 1];
  const r = rangeOf(seq);
  if (!r) return 'the sequence has no position';
  const lr = rangeOf(last);
  if (seq.flow) {
    if (!lr) {
      const open = text.indexOf('[', r[0]);
      return { start: open + 1, end: open + 1, insert: `${nth ? ', ' : ''}${flowText(value)}` };
    }
    return { start: lr[1], end: lr[1], insert: `, ${flowText(value)}` };
  }
  const dash = dashColumn(text, last);
  if (!lr || dash === undefined) return 'the last item has no dash';
  const at = lineAfter(text, contentEnd(last));
  return { start: at, end: at, insert: itemLines(value, dash, c.style(at)) };
}

/**
 * A new key under an existing mapping: a line (or block) after its last entry, or `, key: value` in a flow one (`nth`:
 * how many keys were added before this one at the same place).
 */
export function insertKey(c: Place, map: YAMLMap, key: string, value: FixValue, nth: number): TextEdit | string {
  const { text } = c;
  const r = rangeOf(map);
  if (!r) return 'the mapping has no position';
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    const end = last && (rangeOf(last.value)?.[1] ?? rangeOf(last.key)?.[1]);
    const entry = `${flowText({ [key]: value }).slice(1, -1)}`;
    if (end === undefined) {
      const open = text.indexOf('{', r[0]);
      const before = nth ? ', ' : '';
      return { start: open + 1, end: open + 1, insert: `${before}${entry}` };
    }
    return { start: end, end, insert: `, ${entry}` };
  }
  const first = rangeOf(map.items[0]?.key);
  if (!first || !last) return 'the mapping is empty';
  const at = lineAfter(text, contentEnd(last));
  return {
    start: at,
    end: at,
    insert: pairLines(key, value, column(text, first[0]), c.style(at)),
  };
}

/** `delete` of `parent[seg]`: the entry's (item's) lines in a block collection, the entry and its comma in a flow one. */
export function deleteEntry(c: Place, parent: unknown, seg: string | number | undefined): TextEdit | string {
  const { text } = c;
  let spans: { start: number; end: number }[];
  let i: number;
  let item: unknown;
  if (isMap(parent) && typeof seg === 'string') {
    i = parent.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === seg);
    if (i < 0) return 'nothing to delete';
    spans = parent.items.map((p) => {
      const k = rangeOf(p.key)!;
      return { start: k[0], end: contentEnd(p) };
    });
    item = parent.items[i]!.key;
  } else if (isSeq(parent) && typeof seg === 'number') {
    i = seg;
    if (i < 0 || i >= parent.items.length) return 'nothing to delete';
    spans = parent.items.map((x) => ({ start: rangeOf(x)![0], end: contentEnd(x) }));
    item = parent.items[i];
  } else return 'nothing to delete';
  const n = spans.length;
  const s = spans[i]!;
  if ((parent as YAMLMap | YAMLSeq).flow) {
    if (i < n - 1) return { start: s.start, end: spans[i + 1]!.start, insert: '' };
    if (i > 0) return { start: spans[i - 1]!.end, end: s.end, insert: '' };
    return { start: s.start, end: s.end, insert: '' };
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
  return { start, end: lineAfter(text, s.end), insert: '' };
}
