import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml-5';
import type { Path } from '../model/types.js';
import { plainKey } from './fast.js';

/**
 * Source spans for the files of the fast path (fast.ts), from js-yaml 5's event parser: it reads a file with the
 * offset of every node ~4 times faster than `yaml` composes it, which matters because every file with a finding has
 * to be located (10,000 resources: about half the bytes, 1.6 s with `yaml`).
 *
 * It answers exactly what DocumentLocator (model/locate.ts) answers over `yaml`'s document, for the shapes it knows:
 * block and flow collections, plain and quoted keys, plain and quoted scalar values. Anything else (a block scalar, an
 * empty value, an escaped key, a collection with no key to stand for it…) is declined, and the caller asks
 * DocumentLocator instead. test/fast-path.test.ts compares the two on every node of the corpus and the fixtures.
 */

type Span = [start: number, end: number];
type ENode =
  | { kind: 'scalar'; start: number; end: number; style: number; event: ScalarEvent }
  | { kind: 'map'; start: number; keys: ENode[]; values: ENode[] }
  | { kind: 'seq'; start: number; items: ENode[] };

/** Declined: the caller locates the path with `yaml`. */
export const DECLINED = undefined;

export class EventDocuments {
  private docs: (ENode | undefined)[] | null | undefined;
  /** `values`: what the fast path read (js-yaml 4); the events are used only if they have the same shape. */
  constructor(
    private readonly text: string,
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
    if (node.kind === 'seq' && typeof seg === 'number') {
      const item = node.items[seg];
      return item ? { node: item } : null;
    }
    if (node.kind !== 'map') return null;
    const want = String(seg);
    for (let i = 0; i < node.keys.length; i++) {
      const k = this.keyString(node.keys[i]!);
      if (k === DECLINED) return DECLINED;
      if (k === want) return { node: node.values[i]!, key: node.keys[i]! };
    }
    return null;
  }

  /** A key as `yaml` compares it: String() of the resolved scalar. */
  private keyString(key: ENode): string | undefined {
    if (key.kind !== 'scalar' || key.start < 0) return DECLINED;
    const raw = this.text.slice(key.start, key.end);
    if (key.style === SCALAR_STYLE.PLAIN) return raw.includes('\n') ? DECLINED : plainKey(raw);
    if (key.style === SCALAR_STYLE.SINGLE_QUOTED || key.style === SCALAR_STYLE.DOUBLE_QUOTED) {
      // Escapes and folded lines: decoded by js-yaml, which `yaml` might read differently in some corner. Not worth it.
      if (raw.includes('\n') || raw.includes('\\') || raw.includes("'")) return DECLINED;
      return getScalarValue(this.text, key.event);
    }
    return DECLINED;
  }

  /** `yaml`'s range of a scalar: quotes included. Block scalars and empty values are declined. */
  private scalarSpan(n: ENode): Span | undefined {
    if (n.kind !== 'scalar' || n.start < 0) return DECLINED;
    if (n.style === SCALAR_STYLE.PLAIN) return [n.start, n.end];
    if (n.style === SCALAR_STYLE.SINGLE_QUOTED || n.style === SCALAR_STYLE.DOUBLE_QUOTED) return [n.start - 1, n.end + 1];
    return DECLINED;
  }

  /** DocumentLocator.spanOf: a scalar spans its key and value; a collection its key, or in a sequence its first entry. */
  private spanOf(key: ENode | undefined, value: ENode): Span | undefined {
    const keySpan = key && this.scalarSpan(key);
    if (key && !keySpan) return DECLINED;
    if (value.kind === 'scalar') {
      const v = this.scalarSpan(value);
      if (!v) return DECLINED;
      return keySpan ? (v[0] >= keySpan[0] ? [keySpan[0], v[1]] : keySpan) : v;
    }
    if (keySpan) return keySpan;
    if (value.kind === 'map' && value.keys.length) {
      const k = this.scalarSpan(value.keys[0]!);
      const first = value.values[0]!;
      if (!k) return DECLINED;
      if (first.kind !== 'scalar') return [k[0], k[1]];
      const v = this.scalarSpan(first);
      return v ? [k[0], v[1]] : DECLINED;
    }
    return DECLINED; // the first line of a collection: needs its end, which events do not give
  }

  /** DocumentLocator.rootSpan: the `kind` key (or `services`), else the first key. */
  private rootSpan(node: ENode, rootKey: string): Span | undefined {
    if (node.kind !== 'map' || node.keys.length === 0) return DECLINED;
    for (let i = 0; i < node.keys.length; i++) {
      const k = this.keyString(node.keys[i]!);
      if (k === DECLINED) return DECLINED;
      if (k === rootKey) return this.spanOf(node.keys[i], node.values[i]!);
    }
    return this.spanOf(node.keys[0], node.values[0]!);
  }

  /** One tree per document, or null when the events cannot be used (js-yaml 5 refused the text, or an alias). */
  private build(): (ENode | undefined)[] | null {
    let events: Event[];
    try {
      events = parseEvents(this.text, { maxDepth: 1000 });
    } catch {
      return null;
    }
    const docs: (ENode | undefined)[] = [];
    const stack: ENode[] = [];
    const pendingKey: (ENode | undefined)[] = [];
    const add = (n: ENode): void => {
      const top = stack[stack.length - 1];
      if (!top) {
        docs[docs.length - 1] = n; // the root of the document just opened
        return;
      }
      if (top.kind === 'seq') top.items.push(n);
      else if (top.kind === 'map') {
        const k = pendingKey[stack.length - 1];
        if (k === undefined) pendingKey[stack.length - 1] = n;
        else {
          top.keys.push(k);
          top.values.push(n);
          pendingKey[stack.length - 1] = undefined;
        }
      }
    };
    for (const e of events) {
      switch (e.type) {
        case EVENT_ID.DOCUMENT:
          docs.push(undefined);
          break;
        case EVENT_ID.SCALAR:
          add({ kind: 'scalar', start: e.valueStart, end: e.valueEnd, style: e.style, event: e });
          break;
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE: {
          const n: ENode = e.type === EVENT_ID.MAPPING ? { kind: 'map', start: e.start, keys: [], values: [] } : { kind: 'seq', start: e.start, items: [] };
          add(n);
          stack.push(n);
          pendingKey[stack.length - 1] = undefined;
          break;
        }
        case EVENT_ID.POP:
          // Closes a collection, or a document (then the stack is already empty).
          if (stack.length) stack.pop();
          break;
        default:
          return null; // an alias: the fast path never lets one through, so something is off
      }
    }
    // js-yaml 5 and 4 must have read the same documents and collections (they differ on a few odd texts: a `...`
    // before the first document, for one). Otherwise nothing is answered from events.
    if (docs.length !== this.values.length || !docs.every((d, i) => sameShape(d, this.values[i]))) return null;
    return docs;
  }
}

function sameShape(node: ENode | undefined, value: unknown): boolean {
  if (!node || node.kind === 'scalar') return node?.kind === 'scalar' ? value === null || typeof value !== 'object' : value === null || value === undefined;
  if (node.kind === 'seq') return Array.isArray(value) && value.length === node.items.length && node.items.every((n, i) => sameShape(n, value[i]));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== node.keys.length) return false;
  // Keys come in the order written, unless one looks like an array index (JavaScript moves those first): then the
  // count has to do for this mapping.
  if (keys.some((k) => /^(?:0|[1-9][0-9]*)$/.test(k))) return true;
  return node.values.every((n, i) => sameShape(n, obj[keys[i]!]));
}
