import type { Path } from '../model/types.js';
import { plainKey, type Trace } from './fast.js';

/**
 * Source spans for the files of the fast path (fast.ts), from the trace js-yaml's listener recorded while reading
 * them: where each node was opened and closed. So a file with a finding is located without a second parse (with
 * `yaml`, locating the 10,000-resource tree cost 1.6 s: every file with a finding had to be composed again).
 *
 * It answers exactly what DocumentLocator (model/locate.ts) answers over `yaml`'s document, for the shapes it knows:
 * block and flow collections, plain and quoted keys, plain and quoted scalar values. Anything else (a block scalar, an
 * empty value, an escaped or multi-line key, a collection with no key to stand for it…) is declined, and the caller
 * asks DocumentLocator instead; so is a whole file whose trace does not have the shape of its values.
 * test/fast-path.test.ts compares the two on every path of the corpus, the fixtures, a generated tree and random documents.
 */

type Span = [start: number, end: number];

/** Node types and scalar styles, as stored in a DocTree. */
const EMPTY = 0;
const SCALAR = 1;
const MAP = 2;
const SEQ = 3;
const PLAIN = 0;
const SINGLE = 1;
const DOUBLE = 2;
const OTHER = 3; // block scalars

/**
 * One document's nodes in two typed arrays rather than an object per node (a 50,000-document file made millions of
 * them): node `n` is `nodes[5n…5n+4]` = type | style << 2, start, end (scalars), where its children start in `kids`,
 * how many there are. A mapping's children are its keys and values, alternately.
 */
interface DocTree {
  root: number;
  nodes: Int32Array;
  kids: Int32Array;
}

const typeOf = (d: DocTree, n: number): number => d.nodes[n * 5]! & 3;
const styleOf = (d: DocTree, n: number): number => d.nodes[n * 5]! >> 2;
const startOf = (d: DocTree, n: number): number => d.nodes[n * 5 + 1]!;
const endOf = (d: DocTree, n: number): number => d.nodes[n * 5 + 2]!;
const kidsOf = (d: DocTree, n: number): number => d.nodes[n * 5 + 3]!;
const countOf = (d: DocTree, n: number): number => d.nodes[n * 5 + 4]!;
const kid = (d: DocTree, n: number, i: number): number => d.kids[kidsOf(d, n) + i]!;

/** Document trees built most recently, over every file (oldest first), and how many are kept. */
const recentTrees: [owner: Map<number, DocTree | null>, docIndex: number][] = [];
const MAX_TREES = 2048;

/** Declined: the caller locates the path with `yaml`. */
export const DECLINED = undefined;

export class EventDocuments {
  /** Where each document's events start in the trace, then the trace's length; null when the trace is not one tree per value. */
  private bounds: Int32Array | null | undefined;
  /** Built on a document's first lookup, not the whole file's at once; null when its trace does not have the shape of its value. */
  private readonly trees = new Map<number, DocTree | null>();
  /** `trace` and `values`: what fast.ts read (fastRead). */
  constructor(
    private readonly text: string,
    private readonly trace: Trace,
    private readonly values: readonly unknown[],
  ) {}

  /** The span DocumentLocator would give for `path` under `base` of document `docIndex`, or DECLINED. */
  span(docIndex: number, base: Path, rootKey: string, path: Path): { span: Span; exact: boolean } | undefined {
    const d = this.tree(docIndex);
    if (!d) return DECLINED;
    let node = d.root;
    for (const seg of base) {
      if (node < 0) break;
      node = this.step(d, node, seg)?.node ?? -1;
    }
    if (node < 0) return DECLINED;
    const baseNode = node;
    let key = -1;
    let reached = false;
    let exact = true;
    for (const seg of path) {
      const step = this.step(d, node, seg);
      if (step === DECLINED) return DECLINED;
      if (step === null) {
        exact = false;
        break;
      }
      node = step.node;
      key = step.key;
      reached = true;
    }
    const span = reached ? this.spanOf(d, key, node) : this.rootSpan(d, baseNode, rootKey);
    return span ? { span, exact } : DECLINED;
  }

  private tree(docIndex: number): DocTree | undefined {
    if (this.bounds === undefined) this.bounds = documentBounds(this.trace, this.values.length);
    if (!this.bounds || docIndex < 0 || docIndex >= this.values.length) return DECLINED;
    let t = this.trees.get(docIndex);
    if (t === undefined) {
      t = this.build(this.bounds[docIndex]!, this.bounds[docIndex + 1]!, this.values[docIndex]);
      this.trees.set(docIndex, t);
      recentTrees.push([this.trees, docIndex]);
      // Only the trees located last are kept: one for every document with a finding held 60 MB at 100,000 resources,
      // and a tree is rebuilt from its slice of the trace in microseconds. Rebuilt, it is the same tree.
      if (recentTrees.length > MAX_TREES) {
        for (const [owner, doc] of recentTrees.splice(0, recentTrees.length - MAX_TREES / 2)) owner.delete(doc);
      }
    }
    return t ?? DECLINED;
  }

  /** null: no such child; DECLINED: a key that cannot be compared without `yaml`. */
  private step(d: DocTree, node: number, seg: string | number): { node: number; key: number } | null | undefined {
    const type = typeOf(d, node);
    if (type === SEQ && typeof seg === 'number') {
      return Number.isInteger(seg) && seg >= 0 && seg < countOf(d, node) ? { node: kid(d, node, seg), key: -1 } : null;
    }
    if (type !== MAP) return null;
    const want = String(seg);
    for (let i = 0; i < countOf(d, node); i += 2) {
      const k = this.keyString(d, kid(d, node, i));
      if (k === DECLINED) return DECLINED;
      if (k === want) return { node: kid(d, node, i + 1), key: kid(d, node, i) };
    }
    return null;
  }

  /** A key as `yaml` compares it: String() of the resolved scalar. Escapes and folded lines are declined. */
  private keyString(d: DocTree, key: number): string | undefined {
    if (typeOf(d, key) !== SCALAR) return DECLINED;
    const raw = this.text.slice(startOf(d, key), endOf(d, key));
    if (raw.includes('\n')) return DECLINED;
    const style = styleOf(d, key);
    if (style === PLAIN) return plainKey(raw);
    const inner = raw.slice(1, -1);
    if (style === SINGLE) return inner.includes("'") ? DECLINED : inner;
    if (style === DOUBLE) return inner.includes('\\') || inner.includes('"') ? DECLINED : inner;
    return DECLINED;
  }

  /** `yaml`'s range of a plain or quoted scalar; block scalars and empty values are declined. */
  private scalarSpan(d: DocTree, n: number): Span | undefined {
    return typeOf(d, n) === SCALAR && styleOf(d, n) !== OTHER ? [startOf(d, n), endOf(d, n)] : DECLINED;
  }

  /** DocumentLocator.spanOf: a scalar spans its key and value; a collection its key, or in a sequence its first entry. */
  private spanOf(d: DocTree, key: number, value: number): Span | undefined {
    const keySpan = key >= 0 ? this.scalarSpan(d, key) : undefined;
    if (key >= 0 && !keySpan) return DECLINED;
    const type = typeOf(d, value);
    if (type === SCALAR || type === EMPTY) {
      const v = this.scalarSpan(d, value);
      if (!v) return DECLINED;
      return keySpan ? (v[0] >= keySpan[0] ? [keySpan[0], v[1]] : keySpan) : v;
    }
    if (keySpan) return keySpan;
    if (type === MAP && countOf(d, value)) {
      const k = this.scalarSpan(d, kid(d, value, 0));
      const first = kid(d, value, 1);
      if (!k) return DECLINED;
      const firstType = typeOf(d, first);
      if (firstType === MAP || firstType === SEQ) return [k[0], k[1]];
      const v = this.scalarSpan(d, first);
      return v ? [k[0], v[1]] : DECLINED;
    }
    return DECLINED; // the first line of a collection: needs its end, which the trace does not give exactly
  }

  /** DocumentLocator.rootSpan: the `kind` key (or `services`), else the first key. */
  private rootSpan(d: DocTree, node: number, rootKey: string): Span | undefined {
    if (typeOf(d, node) !== MAP || countOf(d, node) === 0) return DECLINED;
    for (let i = 0; i < countOf(d, node); i += 2) {
      const k = this.keyString(d, kid(d, node, i));
      if (k === DECLINED) return DECLINED;
      if (k === rootKey) return this.spanOf(d, kid(d, node, i), kid(d, node, i + 1));
    }
    return this.spanOf(d, kid(d, node, 0), kid(d, node, 1));
  }

  /**
   * The tree of one document from its slice of the trace, or null when the trace does not have the shape of its
   * value (as many entries in every mapping and sequence): then nothing of it is answered from the trace.
   */
  private build(from: number, to: number, value: unknown): DocTree | null {
    const trace = this.trace;
    // The trace's nodes, numbered in the order they open: where each opens and closes, its kind, its parent.
    const n = (to - from) >> 1;
    const open = new Int32Array(n);
    const close = new Int32Array(n);
    const kind = new Uint8Array(n);
    const parent = new Int32Array(n);
    const stack = new Int32Array(n);
    let count = 0;
    let sp = 0;
    for (let k = from; k < to; k++) {
      const x = trace[k]!;
      if (x >= 0) {
        open[count] = x;
        parent[count] = sp ? stack[sp - 1]! : -1;
        stack[sp++] = count++;
        continue;
      }
      const j = stack[--sp]!;
      const v = -x - 1;
      close[j] = Math.floor(v / 4);
      kind[j] = v % 4;
    }
    // Children in the order they open (siblings close in the same order): for node t, childList[first[t] … first[t + 1]).
    const first = new Int32Array(n + 1);
    for (let t = 1; t < n; t++) first[parent[t]! + 1]!++;
    for (let t = 0; t < n; t++) first[t + 1]! += first[t]!;
    const fill = first.slice(0, n);
    const childList = new Int32Array(Math.max(n - 1, 0));
    for (let t = 1; t < n; t++) childList[fill[parent[t]!]!++] = t;

    const nodes = new Int32Array(n * 5);
    const kids = new Int32Array(n);
    let made = 0;
    let kidPos = 0;
    const add = (type: number, style: number, start: number, end: number, children: readonly number[]): number => {
      const id = made++;
      nodes[id * 5] = type | (style << 2);
      nodes[id * 5 + 1] = start;
      nodes[id * 5 + 2] = end;
      nodes[id * 5 + 3] = kidPos;
      nodes[id * 5 + 4] = children.length;
      for (const c of children) kids[kidPos++] = c;
      return id;
    };
    const make = (t: number): number => {
      if (kind[t] === 0) return add(EMPTY, 0, 0, 0, []);
      const start = this.skipBlanks(open[t]!, close[t]!);
      const nChildren = first[t + 1]! - first[t]!;
      // A flow collection where a block node was expected: js-yaml opens the node, then the collection inside it.
      const only = nChildren === 1 ? childList[first[t]!]! : -1;
      if (
        only >= 0 &&
        kind[t]! >= 2 &&
        kind[only] === kind[t] &&
        close[only] === close[t] &&
        this.skipBlanks(open[only]!, close[only]!) === start
      )
        return make(only);
      if (kind[t] === 1) {
        // A scalar may hold one inner node: js-yaml reads a plain scalar in a block as a possible mapping key first.
        const end = this.trimBlanks(start, close[t]!);
        const c = this.text.charCodeAt(start);
        const style = c === 0x27 ? SINGLE : c === 0x22 ? DOUBLE : c === 0x7c || c === 0x3e ? OTHER : PLAIN;
        return add(SCALAR, style, start, end, []);
      }
      const children: number[] = [];
      for (let i = first[t]!; i < first[t + 1]!; i++) {
        const c = make(childList[i]!);
        if (c < 0) return -1;
        children.push(c);
      }
      if (kind[t] === 3) return add(SEQ, 0, start, 0, children);
      // A block mapping that ends at a document marker: js-yaml tried one more key there, and found nothing.
      const last = nChildren ? childList[first[t + 1]! - 1]! : -1;
      if (children.length % 2 && last >= 0 && kind[last] === 0 && open[last] === close[last]) children.pop();
      if (children.length % 2) return -1;
      return add(MAP, 0, start, 0, children);
    };
    if (n === 0) return null;
    const root = make(0);
    if (root < 0) return null;
    const tree: DocTree = { root, nodes: nodes.slice(0, made * 5), kids: kids.slice(0, kidPos) };
    return sameShape(tree, root, value) ? tree : null;
  }

  /** The first offset from `i` that is not a blank, a line break or a comment (the listener opens a node before them). */
  private skipBlanks(i: number, limit: number): number {
    const t = this.text;
    while (i < limit) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else if (c === 0x23) {
        const nl = t.indexOf('\n', i);
        i = nl === -1 ? limit : nl;
      } else break;
    }
    return i;
  }

  /** The offset after the last character of a scalar: js-yaml may close it after the blanks that follow. */
  private trimBlanks(start: number, end: number): number {
    const t = this.text;
    let e = end;
    while (e > start) {
      const c = t.charCodeAt(e - 1);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) e--;
      else break;
    }
    return e;
  }
}

/** Where each document's events start in the trace, then its length; null unless it is `count` well-nested trees. */
function documentBounds(trace: Trace, count: number): Int32Array | null {
  const starts: number[] = [];
  let depth = 0;
  for (let k = 0; k < trace.length; k++) {
    if (trace[k]! >= 0) {
      if (depth++ === 0) starts.push(k);
    } else if (depth-- === 0) return null;
  }
  if (depth !== 0 || starts.length !== count) return null;
  starts.push(trace.length);
  return Int32Array.from(starts);
}

function sameShape(d: DocTree, node: number, value: unknown): boolean {
  const type = typeOf(d, node);
  if (type === EMPTY) return value === null;
  if (type === SCALAR) return value === null || typeof value !== 'object';
  const count = countOf(d, node);
  if (type === SEQ) {
    if (!Array.isArray(value) || value.length !== count) return false;
    for (let i = 0; i < count; i++) if (!sameShape(d, kid(d, node, i), value[i])) return false;
    return true;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length * 2 !== count) return false;
  // Keys come in the order written, unless one looks like an array index (JavaScript moves those first): then the
  // count has to do for this mapping.
  if (keys.some((k) => /^(?:0|[1-9][0-9]*)$/.test(k))) return true;
  for (let i = 0; i < keys.length; i++) if (!sameShape(d, kid(d, node, 2 * i + 1), obj[keys[i]!])) return false;
  return true;
}
