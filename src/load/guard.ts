import { isCollection, isMap, isPair, isScalar, Scalar, type Document } from 'yaml';

/**
 * Checks that keep hostile or odd input cheap and its findings clear: a nesting bound applied to the text before the
 * YAML parser sees it, and the recognition of template syntax (Helm, Go templates, Jinja) in a parsed document.
 */

/**
 * The deepest nesting read: flow (`[`, `{`), compact block (`- - - x` on one line) and indentation levels together.
 * Real manifests stay under 50 levels. The YAML parser recurses once per level and runs out of stack somewhere
 * between 600 and 1000 levels depending on how much stack is already in use, so its outcome there is not
 * deterministic (and when the overflow happens inside V8's regex compiler the process aborts instead of throwing):
 * the bound sits far below that, and the rest of the pipeline (value conversion, validation) stays within it too.
 */
export const MAX_NESTING = 256;

/**
 * Where the text first nests deeper than `limit`, or -1. One linear pass over the characters, before parsing.
 * Quotes and comments are deliberately not recognized (a bracket inside a string counts too), so no quoting can hide
 * a bomb from this check. CR, LF and CRLF all end a line, as in YAML.
 */
export function excessiveNesting(text: string, limit = MAX_NESTING): number {
  if (text.length <= limit || withinLimitFast(text, limit)) return -1;
  const n = text.length;
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  // Indentation of the open block levels (strictly increasing), as YAML reads them.
  const indents: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && c === 0x20) {
      indent++;
      continue;
    }
    if (c === 0x20 || c === 0x09) continue;
    if (lineStart) {
      lineStart = false;
      if (c !== 0x23) {
        while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
      }
      // `- - - x`: each indicator followed by a blank opens one more level on the same line.
      let compact = 0;
      let j = i;
      while (j + 1 < n && isIndicator(text.charCodeAt(j)) && isBlank(text.charCodeAt(j + 1))) {
        if (++compact + indents.length + flow > limit) return j;
        j += 2;
        while (j < n && isBlank(text.charCodeAt(j))) j++;
      }
      if (indents.length + flow > limit) return i;
      if (j > i) {
        i = j - 1;
        continue;
      }
    }
    if (c === 0x5b || c === 0x7b) {
      if (++flow + indents.length > limit) return i;
    } else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
  }
  return -1;
}

/**
 * The common case, with native string search only: at most `limit / 2` brackets in all, no line longer than
 * `limit / 2` (so its indentation and compact indicators stay under that), and LF line ends only.
 */
function withinLimitFast(text: string, limit: number): boolean {
  const half = limit >> 1;
  if (text.indexOf('\r') !== -1) return false;
  let brackets = 0;
  for (const ch of ['[', '{']) {
    for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) if (++brackets > half) return false;
  }
  let start = 0;
  for (let nl = text.indexOf('\n'); start < text.length; nl = text.indexOf('\n', start)) {
    const end = nl === -1 ? text.length : nl;
    if (end - start > half) return false;
    start = end + 1;
  }
  return true;
}

function isIndicator(c: number): boolean {
  return c === 0x2d || c === 0x3f || c === 0x3a; // - ? :
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** 1-based line and column (UTF-16 code units) of an offset, for text the parser has not seen. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1 };
}

/** `{{` (Go templates: Helm, Argo, Kyverno, Prometheus…) or `{%` (Jinja) anywhere in the text: the cheap first test. */
export const TEMPLATE_MARKER = /\{\{|\{%/;

/** Helm's built-in objects and functions: in a rendered manifest they never remain, whatever the quoting. */
const HELM = String.raw`\{\{-?\s*(?:\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|(?:include|template|tpl|toYaml|required)\s)`;
const HELM_EXPRESSION = new RegExp(HELM, 'y');
/** A Helm expression anywhere in a text (a template-syntax problem unless it sits in a block scalar or a comment). */
export const HELM_ANYWHERE = new RegExp(HELM);

type Span = [start: number, end: number];

/**
 * The offset of the first template expression in a document, or undefined when it has none that matters.
 *
 * `{{ … }}` inside a block scalar or a comment is text (an Alertmanager template in a ConfigMap, a Prometheus rule).
 * Inside a quoted scalar it is text too, unless it uses Helm's objects (`.Values`, `.Release`, `include`…). Elsewhere
 * (a plain scalar, or where YAML reads the braces as a flow mapping) it is template syntax when the document does not
 * parse, or when YAML had to read `{{` as a mapping inside a mapping, which no manifest means.
 */
export function templateExpression(doc: Document, text: string, broken: boolean): number | undefined {
  const start = doc.range?.[0] ?? 0;
  const end = doc.range?.[2] ?? text.length;
  let at = indexOfMarker(text, start, end);
  if (at === -1) return undefined;
  const { blocks, quoted, flows } = spans(doc);
  let b = 0;
  let q = 0;
  let lineStart = -1;
  let commentAt = -1;
  for (; at !== -1; at = indexOfMarker(text, at + 2, end)) {
    while (b < blocks.length && blocks[b]![1] <= at) b++;
    if (b < blocks.length && blocks[b]![0] <= at) continue;
    while (q < quoted.length && quoted[q]![1] <= at) q++;
    HELM_EXPRESSION.lastIndex = at;
    const helm = HELM_EXPRESSION.test(text);
    if (q < quoted.length && quoted[q]![0] <= at) {
      if (helm) return at;
      continue;
    }
    const ls = text.lastIndexOf('\n', at - 1) + 1;
    if (ls !== lineStart) {
      lineStart = ls;
      commentAt = commentStart(text, ls, quoted);
    }
    if (commentAt !== -1 && commentAt < at) continue;
    if (broken || helm || flows.has(at)) return at;
  }
  return undefined;
}

function indexOfMarker(text: string, from: number, end: number): number {
  for (let i = text.indexOf('{', from); i !== -1 && i + 1 < end; i = text.indexOf('{', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x7b || next === 0x25) return i;
  }
  return -1;
}

/** Where a `#` comment starts on the line that begins at `ls` (a `#` after a blank or at the line start, outside quotes). */
function commentStart(text: string, ls: number, quoted: readonly Span[]): number {
  const nl = text.indexOf('\n', ls);
  const le = nl === -1 ? text.length : nl;
  for (let i = text.indexOf('#', ls); i !== -1 && i < le; i = text.indexOf('#', i + 1)) {
    const prev = i === ls ? 0x20 : text.charCodeAt(i - 1);
    if (prev !== 0x20 && prev !== 0x09) continue;
    if (inside(quoted, i)) continue;
    return i;
  }
  return -1;
}

/** Whether `i` falls in one of the sorted, disjoint spans. */
function inside(sorted: readonly Span[], i: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = sorted[mid]!;
    if (i < s) hi = mid - 1;
    else if (i >= e) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Ranges of block and quoted scalars, and the offsets where a flow mapping starts with `{{`, walking without recursion. */
function spans(doc: Document): { blocks: Span[]; quoted: Span[]; flows: Set<number> } {
  const blocks: Span[] = [];
  const quoted: Span[] = [];
  const flows = new Set<number>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isScalar(node)) {
      const r = node.range;
      if (!r) continue;
      if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) blocks.push([r[0], r[1]]);
      else if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) quoted.push([r[0], r[1]]);
    } else if (isCollection(node)) {
      const r = node.range;
      // `{{ x }}` read as YAML: a flow mapping whose first key is itself a flow mapping, both starting with `{`.
      if (r && isMap(node) && node.flow) {
        const first = node.items[0];
        const key = isPair(first) ? first.key : undefined;
        if (isMap(key) && key.flow && key.range && key.range[0] > r[0]) flows.add(r[0]);
      }
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  const byStart = (a: Span, b: Span): number => a[0] - b[0];
  return { blocks: blocks.sort(byStart), quoted: quoted.sort(byStart), flows };
}
