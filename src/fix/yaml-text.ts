import { isMap, isPair, isScalar, isSeq, stringify, visit, type Document, type Node } from 'yaml';
import type { FixValue } from '../model/types.js';

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

export function styleAt(text: string, doc: Document, eol: string, at: number): Style {
  const { indent, seqs } = styleOf(text, doc);
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
