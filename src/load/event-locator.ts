import type { Path } from '../model/types.js';
import { plainKey } from './fast.js';

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
type Style = 'plain' | 'single' | 'double' | 'other';
type ENode =
  | { type: 'scalar'; start: number; end: number; style: Style }
  | { type: 'empty' }
  | { type: 'map'; start: number; keys: ENode[]; values: ENode[] }
  | { type: 'seq'; start: number; items: ENode[] };

/** A node as the trace gives it: the listener's open and close offsets, what it was, and the nodes opened inside it. */
interface TNode {
  open: number;
  close: number;
  kind: number;
  children: TNode[];
}

/** Declined: the caller locates the path with `yaml`. */
export const DECLINED = undefined;

export class EventDocuments {
  private docs: (ENode | undefined)[] | null | undefined;
  /** `trace` and `values`: what fast.ts read (fastRead). */
  constructor(
    private readonly text: string,
    private readonly trace: readonly number[],
    private readonly values: readonly unknown[],
  ) {}

  /** The span DocumentLocator would give for `path` under `base` of document `docIndex`, or DECLINED. */
  span(docIndex: number, base: Path, rootKey: string, path: Path): { span: Span; exact: boolean } | undefined {
    if (this.docs === undefined) this.docs = this.build();
    const root = this.docs?.[docIndex];
    if (!root) return DECLINED;
    let node: ENode | undefined = root;
    for (const seg of base) node = node && this.step(node, seg)?.node;
    if (!node) return DECLINED;
    const baseNode = node;
    let key: ENode | undefined;
    let reached = false;
    let exact = true;
    for (const seg of path) {
      const step = this.step(node, seg);
      if (step === DECLINED) return DECLINED;
      if (step === null) {
        exact = false;
        break;
      }
      node = step.node;
      key = step.key;
      reached = true;
    }
    const span = reached ? this.spanOf(key, node) : this.rootSpan(baseNode, rootKey);
    return span ? { span, exact } : DECLINED;
  }

  /** null: no such child; DECLINED: a key that cannot be compared without `yaml`. */
  private step(node: ENode, seg: string | number): { node: ENode; key?: ENode } | null | undefined {
    if (node.type === 'seq' && typeof seg === 'number') {
      const item = node.items[seg];
      return item ? { node: item } : null;
    }
    if (node.type !== 'map') return null;
    const want = String(seg);
    for (let i = 0; i < node.keys.length; i++) {
      const k = this.keyString(node.keys[i]!);
      if (k === DECLINED) return DECLINED;
      if (k === want) return { node: node.values[i]!, key: node.keys[i]! };
    }
    return null;
  }

  /** A key as `yaml` compares it: String() of the resolved scalar. Escapes and folded lines are declined. */
  private keyString(key: ENode): string | undefined {
    if (key.type !== 'scalar') return DECLINED;
    const raw = this.text.slice(key.start, key.end);
    if (raw.includes('\n')) return DECLINED;
    if (key.style === 'plain') return plainKey(raw);
    const inner = raw.slice(1, -1);
    if (key.style === 'single') return inner.includes("'") ? DECLINED : inner;
    if (key.style === 'double') return inner.includes('\\') || inner.includes('"') ? DECLINED : inner;
    return DECLINED;
  }

  /** `yaml`'s range of a plain or quoted scalar; block scalars and empty values are declined. */
  private scalarSpan(n: ENode): Span | undefined {
    return n.type === 'scalar' && n.style !== 'other' ? [n.start, n.end] : DECLINED;
  }

  /** DocumentLocator.spanOf: a scalar spans its key and value; a collection its key, or in a sequence its first entry. */
  private spanOf(key: ENode | undefined, value: ENode): Span | undefined {
    const keySpan = key && this.scalarSpan(key);
    if (key && !keySpan) return DECLINED;
    if (value.type === 'scalar' || value.type === 'empty') {
      const v = this.scalarSpan(value);
      if (!v) return DECLINED;
      return keySpan ? (v[0] >= keySpan[0] ? [keySpan[0], v[1]] : keySpan) : v;
    }
    if (keySpan) return keySpan;
    if (value.type === 'map' && value.keys.length) {
      const k = this.scalarSpan(value.keys[0]!);
      const first = value.values[0]!;
      if (!k) return DECLINED;
      if (first.type === 'map' || first.type === 'seq') return [k[0], k[1]];
      const v = this.scalarSpan(first);
      return v ? [k[0], v[1]] : DECLINED;
    }
    return DECLINED; // the first line of a collection: needs its end, which the trace does not give exactly
  }

  /** DocumentLocator.rootSpan: the `kind` key (or `services`), else the first key. */
  private rootSpan(node: ENode, rootKey: string): Span | undefined {
    if (node.type !== 'map' || node.keys.length === 0) return DECLINED;
    for (let i = 0; i < node.keys.length; i++) {
      const k = this.keyString(node.keys[i]!);
      if (k === DECLINED) return DECLINED;
      if (k === rootKey) return this.spanOf(node.keys[i], node.values[i]!);
    }
    return this.spanOf(node.keys[0], node.values[0]!);
  }

  /** One tree per document, or null when the trace does not have the shape of the values. */
  private build(): (ENode | undefined)[] | null {
    const roots: TNode[] = [];
    const stack: TNode[] = [];
    for (const x of this.trace) {
      if (x >= 0) {
        stack.push({ open: x, close: -1, kind: 0, children: [] });
        continue;
      }
      const n = stack.pop();
      if (!n) return null;
      const v = -x - 1;
      n.close = Math.floor(v / 4);
      n.kind = v % 4;
      (stack[stack.length - 1]?.children ?? roots).push(n);
    }
    if (stack.length) return null;
    const docs = roots.map((r) => this.node(r));
    if (docs.some((d) => d === null)) return null;
    // The trace has to have the shape of the values (documents, mappings and sequences with as many entries), or
    // nothing is answered from it.
    if (docs.length !== this.values.length || !docs.every((d, i) => sameShape(d!, this.values[i]))) return null;
    return docs as ENode[];
  }

  private node(t: TNode): ENode | null {
    if (t.kind === 0) return { type: 'empty' };
    const start = this.skipBlanks(t.open, t.close);
    // A flow collection where a block node was expected: js-yaml opens the node, then the collection inside it.
    const only = t.children.length === 1 ? t.children[0]! : undefined;
    if (
      only &&
      t.kind >= 2 &&
      only.kind === t.kind &&
      only.close === t.close &&
      this.skipBlanks(only.open, only.close) === start
    )
      return this.node(only);
    if (t.kind === 1) {
      // A scalar may hold one inner node: js-yaml reads a plain scalar in a block as a possible mapping key first.
      const end = this.trimBlanks(start, t.close);
      const c = this.text.charCodeAt(start);
      const style: Style = c === 0x27 ? 'single' : c === 0x22 ? 'double' : c === 0x7c || c === 0x3e ? 'other' : 'plain';
      return { type: 'scalar', start, end, style };
    }
    const children: ENode[] = [];
    for (const c of t.children) {
      const n = this.node(c);
      if (!n) return null;
      children.push(n);
    }
    if (t.kind === 3) return { type: 'seq', start, items: children };
    // A block mapping that ends at a document marker: js-yaml tried one more key there, and found nothing.
    const last = t.children[t.children.length - 1];
    if (children.length % 2 && last && last.kind === 0 && last.open === last.close) children.pop();
    if (children.length % 2) return null;
    return {
      type: 'map',
      start,
      keys: children.filter((_, i) => i % 2 === 0),
      values: children.filter((_, i) => i % 2 === 1),
    };
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

function sameShape(node: ENode, value: unknown): boolean {
  if (node.type === 'empty') return value === null;
  if (node.type === 'scalar') return value === null || typeof value !== 'object';
  if (node.type === 'seq')
    return (
      Array.isArray(value) && value.length === node.items.length && node.items.every((n, i) => sameShape(n, value[i]))
    );
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== node.keys.length) return false;
  // Keys come in the order written, unless one looks like an array index (JavaScript moves those first): then the
  // count has to do for this mapping.
  if (keys.some((k) => /^(?:0|[1-9][0-9]*)$/.test(k))) return true;
  return node.values.every((n, i) => sameShape(n, obj[keys[i]!]));
}
