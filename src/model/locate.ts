import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { Locator, Path, Range } from './types.js';

type Span = [start: number, end: number];

/**
 * Maps paths inside one YAML document to source ranges. Aliases are followed to the anchored node and
 * merge keys (`<<`) are searched, so a value that came from an anchor points where it is written.
 */
export class DocumentLocator implements Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** Path from the document root to the resource (for items of a `kind: List`). */
    private readonly base: Path = [],
    /** Where an absence at the root of the resource is reported: the `kind` key when there is one. */
    private readonly rootKey: string = 'kind',
  ) {}

  locate(path: Path): { range: Range; exact: boolean } {
    let node: unknown = this.baseNode();
    let pair: Pair | undefined;
    let reached = false;
    let exact = true;
    for (const seg of path) {
      const step = this.step(this.deref(node), seg);
      if (!step) {
        exact = false;
        break;
      }
      node = step.node;
      pair = step.pair;
      reached = true;
    }
    const span = reached ? this.spanOf(pair, node) : undefined;
    return { range: this.toRange(span ?? this.rootSpan()), exact };
  }

  private baseNode(): unknown {
    let node: unknown = this.doc.contents;
    for (const seg of this.base) node = this.step(this.deref(node), seg)?.node;
    return node;
  }

  private deref(node: unknown): unknown {
    let n = node;
    for (let guard = 0; isAlias(n) && guard < 64; guard++) n = n.resolve(this.doc);
    return n;
  }

  private step(node: unknown, seg: string | number): { node: unknown; pair?: Pair } | undefined {
    if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      return item === undefined ? undefined : { node: item };
    }
    if (isMap(node)) {
      const found = this.findPair(node.items, String(seg), 0);
      if (found) return { node: found.value, pair: found };
    }
    return undefined;
  }

  private findPair(items: readonly unknown[], key: string, depth: number): Pair | undefined {
    if (depth > 16) return undefined;
    // A key written twice: the value that takes effect (kubectl, and the loader's values) is the last one.
    for (let i = items.length - 1; i >= 0; i--) {
      const p = items[i];
      if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) return p;
    }
    // merge keys: later sources do not override earlier explicit keys, first source wins among merges
    for (const p of items) {
      // With `merge: true` the parser gives a merge key the value Symbol(<<); a quoted '<<' is an ordinary key.
      if (!isPair(p) || !isScalar(p.key) || typeof p.key.value !== 'symbol' || p.key.value.description !== '<<')
        continue;
      const sources = isSeq(p.value) ? p.value.items : [p.value];
      for (const src of sources) {
        const m = this.deref(src);
        if (isMap(m)) {
          const hit = this.findPair(m.items, key, depth + 1);
          if (hit) return hit;
        }
      }
    }
    return undefined;
  }

  /** A scalar value spans its key and value; a collection spans its key (or, in a sequence, its first line). */
  private spanOf(pair: Pair | undefined, valueNode: unknown): Span | undefined {
    const value = this.deref(valueNode) as Node | undefined;
    const keyRange = pair && (pair.key as Node | null)?.range;
    if (isScalar(value) || value == null) {
      const vr = value?.range;
      if (keyRange && vr && vr[0] >= keyRange[0]) return [keyRange[0], vr[1]];
      if (keyRange) return [keyRange[0], keyRange[1]];
      return vr ? [vr[0], vr[1]] : undefined;
    }
    if (keyRange) return [keyRange[0], keyRange[1]];
    // A collection inside a sequence: its first entry stands for it (`- name: app`).
    if (isMap(value)) {
      const first = value.items[0];
      if (isPair(first)) {
        const k = (first.key as Node | null)?.range;
        const v = (this.deref(first.value) as Node | null)?.range;
        if (k) return [k[0], v && isScalar(this.deref(first.value)) ? v[1] : k[1]];
      }
    }
    return value.range ? [value.range[0], this.firstLineEnd(value.range[0], value.range[1])] : undefined;
  }

  private rootSpan(): Span {
    const node = this.deref(this.baseNode());
    if (isMap(node)) {
      const pair = this.findPair(node.items, this.rootKey, 0);
      if (pair) return this.spanOf(pair, pair.value) ?? [0, 0];
      const first = node.items[0];
      if (isPair(first)) return this.spanOf(first, first.value) ?? [0, 0];
    }
    const r = (node as Node | null)?.range;
    return r ? [r[0], this.firstLineEnd(r[0], r[1])] : [0, 0];
  }

  private firstLineEnd(start: number, end: number): number {
    const src = this.srcText;
    if (src === undefined) return end;
    const nl = src.indexOf('\n', start);
    const lineEnd = nl === -1 ? src.length : src[nl - 1] === '\r' ? nl - 1 : nl;
    return Math.min(end, lineEnd);
  }

  /** Set by the loader when the text is at hand, to cut multi-line spans at the end of their first line. */
  srcText: string | undefined;

  private toRange(span: Span): Range {
    return rangeOf(this.lines, span);
  }
}

/** The range of an offset span: 1-based lines and columns, the end exclusive (never before the start). */
export function rangeOf(lines: Pick<LineCounter, 'linePos'>, [start, end]: Span): Range {
  const s = lines.linePos(start);
  const e = lines.linePos(Math.max(start, end));
  return { startLine: s.line, startColumn: s.col, endLine: e.line, endColumn: e.col };
}

/** A locator for sources with no positions (objects read from a live cluster): everything is line 1. */
export const noPositions: Locator = {
  locate: () => ({ range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, exact: false }),
};
