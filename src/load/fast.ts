import { append } from '../model/append.js';
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { HELM_ANYWHERE, TEMPLATE_MARKER } from './guard.js';

/**
 * The fast path of the loader: the values of a file's documents from js-yaml, which reads plain YAML ~7 times faster
 * than `yaml` composes it (10,000 resources: 0.41 s against 3.2 s, bench/README.md). Positions come from the trace
 * js-yaml's listener records during the same read (event-locator.ts), and from `yaml` for the few paths the trace
 * cannot answer exactly; either way every line and column is what the full parse gives.
 *
 * The two parsers must agree on every value, so js-yaml only gets the files where they provably do:
 * - the schema below resolves plain scalars exactly as `yaml`'s YAML 1.2 core schema does (js-yaml's own "core" also
 *   reads `0b11`, `1_000` and `1_0.5` as numbers);
 * - text that could reach a construct where the two differ, or where the full parse reports something (a problem, a
 *   suppression comment, template syntax), is left to `yaml`: tags, anchors and aliases (seen by js-yaml's listener),
 *   merge keys, directives, explicit (`?`) and collection keys, null keys, `__proto__`, Helm template syntax, and
 *   the word "shipshape" (comments that silence findings);
 * - anything js-yaml rejects (a duplicate key, a syntax error) is left to `yaml`, whose messages and positions the
 *   findings use.
 * test/fast-path.test.ts checks the agreement on every corpus file, every fixture and random documents.
 *
 * One difference is kept on purpose: a text that `yaml` rejects but js-yaml reads (as PyYAML and kubectl's go-yaml
 * do; one corpus file, a multi-line single-quoted scalar whose last line is indented less) is checked, not reported
 * as invalid YAML.
 */

/** yaml/dist/schema/core (yaml 2.x), in its order: null, bool, int (octal, decimal, hex), float (nan/inf, exp, plain). */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * Whether a plain scalar can be a number at all: its first character is a digit, a sign or a dot. Checked before the
 * patterns, since js-yaml asks every implicit type about every plain scalar and most are words.
 */
const numeric = (s: string): boolean => {
  const c = s.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
};

const IMPLICIT = [
  new Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (s: string | null) => s === null || (s.length <= 4 && NULL.test(s)),
    construct: () => null,
  }),
  new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && (s.length === 4 || s.length === 5) && BOOL.test(s),
    construct: (s: string) => s[0] === 't' || s[0] === 'T',
  }),
  new Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && numeric(s) && (INT_OCT.test(s) || INT.test(s) || INT_HEX.test(s)),
    // As yaml's intResolve: parseInt of the digits after the prefix.
    construct: (s: string) =>
      INT_OCT.test(s) ? parseInt(s.substring(2), 8) : INT_HEX.test(s) ? parseInt(s.substring(2), 16) : parseInt(s, 10),
  }),
  new Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string | null) =>
      s !== null && numeric(s) && (FLOAT_NAN.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s)),
    construct: (s: string) =>
      FLOAT_NAN.test(s)
        ? s.slice(-3).toLowerCase() === 'nan'
          ? NaN
          : s[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY
        : parseFloat(s),
  }),
];
const CORE_1_2 = FAILSAFE_SCHEMA.extend({ implicit: IMPLICIT });

/**
 * Text the fast path leaves to `yaml`, each a place where the two parsers could differ or where only the full parse
 * finds something. Deliberately broad (a `&` in a shell line sends a file to `yaml` too): a false match costs speed, a
 * missed one a wrong value.
 */
const LEAVE_TO_YAML: readonly { name: string; maybe?: RegExp; re: RegExp }[] = [
  { name: 'suppression comments (`# shipshape-ignore`), read from the full parse', re: /shipshape/i },
  { name: 'merge keys; a key that is special to JavaScript objects', re: /<<|__proto__/ },
  { name: 'directives (`%YAML 1.1` changes the schema)', re: /^%/m },
  { name: 'a collection as a key', re: /[\]}][ \t]*:(?:[ \t\r\n]|$)/ },
  // The patterns below scan line starts, which is slow on large texts: a cheap one that any match must also match goes first.
  {
    name: "tags, where a node can start (not a `!` inside a scalar: `rule: '!has(x)'`)",
    maybe: /!/,
    re: /(?:^|[\n[{,]|[-:?][ \t])[ \t]*!/,
  },
  { name: 'explicit keys', maybe: /\?/, re: /(?:^|[\n[{,])[ \t]*(?:-[ \t]+)*\?(?:[ \t\r\n]|$)/ },
  {
    // `yaml` names a null or empty key "", js-yaml "null". Where a key can start: a line, after `- `, `{`, `[` or `,`.
    name: 'a null or empty key',
    maybe: /(?:null|Null|NULL|~)[ \t]*:|[\s[{,-]:|^:/,
    re: /(?:^|[\n[{,])[ \t]*(?:-[ \t]+)*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t\r\n]|$)/,
  },
];

/** The value of each document, or undefined when the file must go through the full parse. */
export function fastValues(text: string): unknown[] | undefined {
  return fastRead(text)?.values;
}

/**
 * What js-yaml reads of a file: the value of each document, and the trace of its nodes (event-locator.ts turns it
 * into positions when a finding needs one). Undefined when the file must go through the full parse.
 *
 * The trace is what js-yaml's listener sees, one 32-bit integer per event: the offset where a node is opened (before the
 * blanks in front of it), or `-(offset × 4 + kind) - 1` where it is closed (kind 0 empty, 1 scalar, 2 mapping,
 * 3 sequence). Recording it costs nothing measurable (bench/README.md); a second parse for positions costs the read again.
 */
export function fastRead(text: string): { values: unknown[]; trace: Trace; text: string } | undefined {
  for (const g of LEAVE_TO_YAML) if ((!g.maybe || g.maybe.test(text)) && g.re.test(text)) return undefined;
  // `{{ }}` is template syntax (a problem the full parse reports, guard.ts) when it is a Helm expression outside a block
  // scalar or a comment, or where YAML reads `{{` as a mapping inside a mapping; text otherwise (Prometheus rules,
  // Grafana dashboards). The first is left to `yaml` on sight, the second once read (a mapping as a key).
  const templated = TEMPLATE_MARKER.test(text);
  if (templated && HELM_ANYWHERE.test(text)) return undefined;
  let anchored = false;
  const trace = new TraceBuffer();
  let input: string | undefined;
  let values: unknown[];
  try {
    values = loadAll(text, undefined, {
      schema: CORE_1_2,
      listener(event, state) {
        const st = state as unknown as ListenerState;
        input ??= st.input;
        if (event === 'open') {
          trace.push(st.position);
          return;
        }
        // Anchors (and so aliases) are left to `yaml`, which bounds their expansion (alias bombs) and locates through them.
        if (st.anchor !== null) anchored = true;
        // Short strings are copies, one per occurrence (`http`, `v1`, a label value on every object of an app): the
        // value stored is the first equal one instead. Longer ones are slices of the text, which is held anyway.
        const v = st.result;
        // js-yaml builds a sequence by push(), which leaves room for 16 more items: most sequences of a manifest hold
        // one to three (containers, ports, env), so that room was most of their memory. The parent stores this copy.
        if (Array.isArray(v)) st.result = v.slice();
        else if (typeof v === 'string' && v.length < 13) {
          const seen = SHORT_STRINGS.get(v);
          if (seen !== undefined) st.result = seen;
          else if (SHORT_STRINGS.size < MAX_SHORT_STRINGS) SHORT_STRINGS.set(v, v);
        }
        trace.push(
          -(st.position * 4 + (st.kind === 'scalar' ? 1 : st.kind === 'mapping' ? 2 : st.kind === 'sequence' ? 3 : 0)) -
            1,
        );
      },
    }) as unknown[];
  } catch {
    return undefined;
  }
  if (anchored || (templated && values.some(hasCollectionKey))) return undefined;
  // js-yaml reads a copy of the text (it appends a NUL), and the longer strings of the values are slices of that copy,
  // which they keep alive: the file's text is taken from the same copy, so each file is held once, not twice.
  const shared = input?.slice(0, text.length);
  return { values, trace: trace.done(), text: shared === text ? shared : text };
}

/**
 * A file's trace: 16-bit integers when every event fits (a file of up to ~8 KB, most of a manifest tree), else 32-bit.
 * Either way the same numbers, read by index (event-locator.ts).
 */
export type Trace = Int32Array | Int16Array;

/**
 * The trace as compact integers: one object per file for the collector. Events go to one scratch buffer shared by
 * every file (grown by doubling, never shrunk), and each file keeps an exact copy: a buffer per file sized by guess was
 * as much memory again, allocated and freed outside the heap for every file.
 * Offsets fit: files are read up to 64 MB (read.ts), and a close event is at most -(64 Mi × 4 + 3) - 1.
 *
 * The copy is 16-bit when every event fits (half the memory; 100,000 resources held 87 MB of traces in 32 bits), and
 * then a view into a shared block rather than a buffer of its own: each buffer outside the heap costs a backing store
 * and its bookkeeping besides its bytes, which for a trace of a few hundred events is as much again.
 */
class TraceBuffer {
  private static scratch = new Int32Array(1 << 16);
  /** The block 16-bit traces are cut from, and how much of it is used. */
  private static block = new Int16Array(0);
  private static used = 0;
  private length = 0;
  push(x: number): void {
    let buf = TraceBuffer.scratch;
    if (this.length === buf.length) {
      const bigger = new Int32Array(buf.length * 2);
      bigger.set(buf);
      TraceBuffer.scratch = buf = bigger;
    }
    buf[this.length++] = x;
  }
  done(): Trace {
    const n = this.length;
    const events = TraceBuffer.scratch.subarray(0, n);
    let short = n <= BLOCK / 8;
    for (let k = 0; short && k < n; k++) short = events[k]! >= -0x8000 && events[k]! <= 0x7fff;
    if (!short) return events.slice();
    if (TraceBuffer.used + n > TraceBuffer.block.length) {
      TraceBuffer.block = new Int16Array(BLOCK);
      TraceBuffer.used = 0;
    }
    const copy = TraceBuffer.block.subarray(TraceBuffer.used, TraceBuffer.used + n);
    copy.set(events);
    TraceBuffer.used += n;
    return copy;
  }
}

/** Events per block of 16-bit traces (512 KB): a block lives as long as any trace cut from it. */
const BLOCK = 1 << 18;

/** Short scalar strings met so far, over every file: each stands for all that equal it (bounded: a map, not a leak). */
const SHORT_STRINGS = new Map<string, string>();
const MAX_SHORT_STRINGS = 200_000;

/** The part of js-yaml's loader state its listener reads and writes (js-yaml 4: lib/loader.js, composeNode). */
interface ListenerState {
  input: string;
  result: unknown;
  position: number;
  kind: string | null;
  anchor: string | null;
}

/** Whether a mapping in the value had a collection as a key (js-yaml names it "[object Object]", or joins a sequence). */
function hasCollectionKey(value: unknown): boolean {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) append(stack, v as unknown[]);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k.startsWith('[object ')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** A plain key as `yaml` compares it (DocumentLocator: String() of the resolved value): `0x10` is "16", `1.50` is "1.5". */
export function plainKey(raw: string): string {
  for (const type of IMPLICIT) if (type.resolve(raw)) return String(type.construct(raw));
  return raw;
}
