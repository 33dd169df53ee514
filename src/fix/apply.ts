import { isAlias, isMap, isScalar, parseAllDocuments, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import type { Fix, FixChange, FixEdit, FixValue } from '../model/types.js';

/** What fixing one file gave: the new text (the input when nothing applied), and why edits were left out. */
export interface FileFix {
  text: string;
  /** Edits made. */
  applied: number;
  /** Why the whole file, or an edit, was left alone. */
  notes: string[];
  /** The text edits made, as offsets into the input text (for JSON/SARIF `changes` and review suggestions). */
  edits: TextEdit[];
}

type SetOrDelete = Extract<FixEdit, { op: 'set' | 'delete' }>;

/** Replace `text.slice(start, end)` with `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/**
 * Applies a file's fixes as text edits found through `yaml`'s Document API: the nodes' source ranges say where each
 * edit lands, and only those bytes change, so comments, quoting, flow style and untouched lines stay byte-identical
 * (`yaml`'s own re-serialisation does not keep them: it respaces comments and flow mappings). The result is parsed
 * again and must give the objects the edits describe, else the file is left alone. Files with template syntax,
 * anchors or aliases, or parse errors are left alone. `kind`: the kind of the object the finding is about, checked
 * against the document's.
 */
export function applyFixes(text: string, fixes: readonly Fix[], kind?: string): FileFix {
  const alone = (why: string): FileFix => ({ text, applied: 0, notes: [why], edits: [] });
  if (/\{\{|\{%/.test(text)) return alone('left alone: template syntax');
  const docs = parseAllDocuments(text, { keepSourceTokens: true });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) return alone('left alone: the file does not parse');
  if (docs.some(hasAnchors)) return alone('left alone: the file has anchors or aliases');

  const notes: string[] = [];
  const edits: TextEdit[] = [];
  const expected: { doc: Document; edit: SetOrDelete }[] = [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  for (const fix of fixes) {
    const doc = docs[fix.doc];
    if (!doc || (kind !== undefined && doc.get('kind') !== kind)) {
      notes.push(`document ${fix.doc} is not the ${kind ?? ''} the finding is about`);
      continue;
    }
    for (const edit of fix.edits) {
      if (edit.op !== 'set' && edit.op !== 'delete') {
        notes.push(`${edit.op}: not supported yet`);
        continue;
      }
      const t = textEdit(text, doc, edit, eol);
      if (typeof t === 'string') notes.push(`${edit.op} ${edit.path.join('.')}: ${t}`);
      else if (edits.some((e) => e.start < t.end && t.start < e.end))
        notes.push(`${edit.op} ${edit.path.join('.')}: overlaps another edit`);
      else {
        edits.push(t);
        expected.push({ doc, edit });
      }
    }
  }
  if (!edits.length) return { text, applied: 0, notes, edits: [] };
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.insert + out.slice(e.end);

  // The check: the edited text parses to the objects the edits describe, and to nothing else.
  for (const { doc, edit } of expected)
    if (edit.op === 'set') doc.setIn(edit.path, edit.value);
    else doc.deleteIn(edit.path);
  const again = parseAllDocuments(out);
  const same =
    Array.isArray(again) &&
    again.length === docs.length &&
    again.every((d, i) => !d.errors.length && JSON.stringify(d.toJS()) === JSON.stringify(docs[i]!.toJS()));
  if (!same) return alone('left alone: the edited text would not read as the fixed objects');
  return { text: out, applied: edits.length, notes, edits };
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

/** The text edit for one fix edit, or why there is none. */
function textEdit(text: string, doc: Document, edit: SetOrDelete, eol: string): TextEdit | string {
  const key = edit.path[edit.path.length - 1];
  if (typeof key !== 'string') return 'only mapping keys are edited';
  const parentPath = edit.path.slice(0, -1);
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  if (!isMap(parent) || !parent.range) return 'the parent is not a mapping';
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
  if (edit.op === 'set') {
    if (pair) {
      const v = pair.value;
      if (!isScalar(v) || !v.range) return 'the value is not a scalar';
      return { start: v.range[0], end: v.range[1], insert: scalarText(edit.value, v.type) };
    }
    if (parent.flow) return 'the mapping is written in flow style';
    const first = parent.items[0];
    if (!first || !isScalar(first.key) || !first.key.range) return 'the mapping is empty';
    const column = first.key.range[0] - lineStart(text, first.key.range[0]);
    const at = afterPair(text, parent);
    const lead = at === text.length && !text.endsWith('\n') ? eol : '';
    return { start: at, end: at, insert: `${lead}${' '.repeat(column)}${key}: ${scalarText(edit.value)}${eol}` };
  }
  if (!pair) return 'nothing to delete';
  if (parent.flow) return 'the mapping is written in flow style';
  if (parent.items.length < 2) return 'the mapping would be empty';
  const k = pair.key;
  if (!isScalar(k) || !k.range) return 'the key is not a scalar';
  const start = lineStart(text, k.range[0]);
  if (text.slice(start, k.range[0]).trim() !== '') return 'the key does not start its line';
  return { start, end: lineAfter(text, valueEnd(pair, k.range[1])), insert: '' };
}

function valueEnd(pair: Pair, keyEnd: number): number {
  const v = pair.value as { range?: [number, number, number] } | null;
  return v?.range ? v.range[1] : keyEnd;
}

/** The offset after the last entry of a block mapping: the start of the line after it. */
function afterPair(text: string, map: YAMLMap): number {
  const last = map.items[map.items.length - 1]!;
  const k = last.key as { range?: [number, number, number] };
  return lineAfter(text, valueEnd(last, k.range?.[1] ?? map.range![1]));
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one `end` is on (a block value's end is already a line start). */
function lineAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** A value as YAML, in the quoting of the scalar it replaces when it had one. */
function scalarText(value: FixValue, type?: string | null): string {
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  if (typeof value !== 'string') return String(value);
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  const plain = /^[A-Za-z][\w./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** Text edits as `FixChange`s of `file`: 1-based lines and columns of the input text, the end column exclusive. */
export function toChanges(text: string, file: string, edits: readonly TextEdit[]): FixChange[] {
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
      };
    });
}
