import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Composer, LineCounter, Parser, stringify, type Document } from 'yaml';
import { generate } from '../bench/generate.js';
import { EventDocuments } from '../src/load/event-locator.js';
import { fastRead, fastValues } from '../src/load/fast.js';
import { fullParse as fullParseFile, parseFile } from '../src/load/parse.js';
import { DocumentLocator, rangeOf } from '../src/model/locate.js';
import type { Path } from '../src/model/types.js';
import { FIXTURES, ROOT, SHARED } from './helpers/fixtures.js';

/**
 * The loader's fast path (src/load/fast.ts, src/load/event-locator.ts) must give exactly what the full `yaml` parse
 * gives: the same value for every document, and the same range for every path a finding can report. Checked here on
 * every file of the corpus, the fixtures, the examples, a generated 1,000-resource tree and random documents. The
 * whole-run outputs (same findings, byte for byte, on the corpus and the benchmark trees) are compared in bench/README.md.
 */

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name) && statSync(p).size < 4 << 20) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function fullParse(text: string): { docs: Document[]; lines: LineCounter } {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const docs = Array.from(
    new Composer({ merge: true, strict: false, logLevel: 'error' }).compose(new Parser().parse(text)),
  ) as Document[];
  return { docs, lines };
}

/** Every path to a node of a value, plus one missing key under each mapping and one index past each sequence. */
function pathsOf(value: unknown, base: Path = [], out: Path[] = [], limit = 4000): Path[] {
  if (out.length >= limit) return out;
  out.push(base);
  if (Array.isArray(value)) {
    value.forEach((v, i) => pathsOf(v, [...base, i], out, limit));
    out.push([...base, value.length]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...base, k], out, limit);
    out.push([...base, 'no-such-key']);
  }
  return out;
}

interface Comparison {
  file: string;
  /** Paths the event locator answered, and the ones it left to `yaml`. */
  answered: number;
  declined: number;
  mismatches: string[];
  /** `yaml` rejects a text js-yaml reads (see fast.ts): not compared. */
  lenient?: boolean;
}

const stripBom = (t: string): string => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);

/** Compare the fast path with the full parse on one text (undefined when the fast path declines the whole file). */
function compare(file: string, raw: string): Comparison | undefined {
  const text = stripBom(raw);
  const read = fastRead(text);
  if (!read) return undefined;
  const { values } = read;
  const { docs, lines } = fullParse(text);
  const result: Comparison = { file, answered: 0, declined: 0, mismatches: [] };
  // A text with no document at all: js-yaml reports one empty document, `yaml` none. Neither holds a resource.
  const expected = docs.length === 0 ? [null] : docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  if (docs.some((d) => d.errors.length)) return { ...result, lenient: true };
  try {
    expect(values).toStrictEqual(expected);
  } catch {
    result.mismatches.push(
      `values differ: fast ${JSON.stringify(values).slice(0, 300)} / yaml ${JSON.stringify(expected).slice(0, 300)}`,
    );
    return result;
  }
  // What the loader makes of the file: the same resources, and nothing the full parse would report or read.
  const source = { path: 'f.yaml', absPath: '' };
  const full = fullParseFile(source, text);
  const fast = parseFile(source, text);
  const summary = (r: ReturnType<typeof parseFile>): string =>
    JSON.stringify({
      resources: r.resources.map((x) => [x.key, x.platform, x.kind, x.name, x.namespace]),
      problems: r.problems,
      suppressions: r.suppressions,
      irrelevant: r.irrelevant,
    });
  if (summary(fast) !== summary(full))
    result.mismatches.push(
      `loader results differ: fast ${summary(fast).slice(0, 300)} / full ${summary(full).slice(0, 300)}`,
    );
  const events = new EventDocuments(text, read.trace, values);
  docs.forEach((doc, docIndex) => {
    for (const rootKey of ['kind', 'services']) {
      const locator = new DocumentLocator(doc, lines, [], rootKey);
      locator.srcText = text;
      for (const p of pathsOf(values[docIndex])) {
        const hit = events.span(docIndex, [], rootKey, p);
        if (!hit) {
          result.declined++;
          continue;
        }
        result.answered++;
        const want = locator.locate(p);
        const got = { range: rangeOf(lines, hit.span), exact: hit.exact };
        if (JSON.stringify(got) !== JSON.stringify({ range: want.range, exact: want.exact }))
          result.mismatches.push(
            `doc ${docIndex} ${JSON.stringify(p)}: events ${JSON.stringify(got)} / yaml ${JSON.stringify({ range: want.range, exact: want.exact })}`,
          );
      }
    }
  });
  return result;
}

function compareAll(files: string[]): {
  fast: number;
  full: number;
  answered: number;
  declined: number;
  mismatches: string[];
  lenient: string[];
} {
  const total = { fast: 0, full: 0, answered: 0, declined: 0, mismatches: [] as string[], lenient: [] as string[] };
  for (const f of files) {
    const c = compare(f, readFileSync(f, 'utf8'));
    if (!c) {
      total.full++;
      continue;
    }
    total.fast++;
    if (c.lenient) total.lenient.push(path.relative(SHARED, f));
    total.answered += c.answered;
    total.declined += c.declined;
    total.mismatches.push(...c.mismatches.map((m) => `${path.relative(ROOT, f)}: ${m}`));
  }
  return total;
}

describe('the fast path gives what the full yaml parse gives', () => {
  let tree: string;
  beforeAll(() => {
    tree = mkdtempSync(path.join(os.tmpdir(), 'shipshape-fast-'));
    generate({ resources: 1000, out: tree, seed: 7 });
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('on every file of the corpus: same values, same ranges', () => {
    const t = compareAll(filesUnder(path.join(SHARED, 'corpus')));
    expect(t.mismatches).toEqual([]);
    // The one file `yaml` rejects and js-yaml reads: the closing line of a multi-line single-quoted scalar is indented
    // less than the scalar. PyYAML and kubectl's go-yaml read it too, so the fast path's reading is the one kept.
    expect(t.lenient).toEqual([
      'corpus/k8s/microservices-demo__microservices-demo/deploy/kubernetes/manifests-monitoring/23-grafana-import-dash-batch.yaml',
    ]);
    // Most real files take the fast path, and the event locator answers nearly every path in them.
    expect(t.fast).toBeGreaterThan(1400);
    expect(t.answered / (t.answered + t.declined)).toBeGreaterThan(0.9);
  }, 300_000);

  it('on every fixture and example, also with CRLF line ends and tabs after colons', () => {
    // FAST_PATH_CORPUS=1: the same over the whole corpus (~20 s).
    const files = process.env.FAST_PATH_CORPUS
      ? filesUnder(path.join(SHARED, 'corpus'))
      : [...filesUnder(FIXTURES), ...filesUnder(path.join(ROOT, 'examples'))];
    const variants = {
      crlf: (t: string) => t.replace(/\r?\n/g, '\r\n'),
      tabs: (t: string) => t.replace(/: (?=\S)/g, ':\t'),
    };
    for (const [name, change] of Object.entries(variants)) {
      const mismatches: string[] = [];
      let fast = 0;
      for (const f of files) {
        const c = compare(f, change(readFileSync(f, 'utf8')));
        if (!c || c.lenient) continue;
        fast++;
        mismatches.push(...c.mismatches.map((m) => `${name} ${path.relative(ROOT, f)}: ${m}`));
      }
      expect(mismatches).toEqual([]);
      expect(fast).toBeGreaterThan(50);
    }
  }, 120_000);

  it('on every fixture and example', () => {
    const t = compareAll([...filesUnder(FIXTURES), ...filesUnder(path.join(ROOT, 'examples'))]);
    expect(t.mismatches).toEqual([]);
    expect(t.lenient).toEqual([]);
    expect(t.fast).toBeGreaterThan(100);
  }, 120_000);

  it('on a generated 1,000-resource tree', () => {
    const t = compareAll(filesUnder(tree));
    expect(t.mismatches).toEqual([]);
    expect(t.lenient).toEqual([]);
    expect(t.full).toBe(0);
    expect(t.answered / (t.answered + t.declined)).toBeGreaterThan(0.9);
  }, 120_000);

  it('on random documents written in every style yaml can write', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        'true',
        'False',
        'NULL',
        '~',
        '0o17',
        '0x1F',
        '0b11',
        '1_000',
        '+12',
        '-0',
        '.5',
        '1.',
        '1e3',
        '.inf',
        '-.Inf',
        '.NaN',
        '012',
        '1.50',
        'a: b',
        '- x',
        '#c',
        "it's",
        'say "hi"',
        '\\n',
        'tab\there',
        'multi\nline\n',
        ' lead',
        'trail ',
        '',
      ),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const key = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.constantFrom('1', '0x10', '1.50', 'true', 'a b', "k'q", 'k"q', 'x:y'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('seq'), tie('map')),
      seq: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    })).node;
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
      docs: fc.integer({ min: 1, max: 3 }),
    });
    let fast = 0;
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }),
        options,
        (objs, o) => {
          const { docs, ...opts } = o;
          const text = objs
            .slice(0, docs)
            .map((v) =>
              stringify(v, {
                ...opts,
                defaultKeyType: opts.defaultKeyType as 'PLAIN' | null,
                collectionStyle: opts.collectionStyle as 'any',
              } as never),
            )
            .join('---\n');
          const c = compare('random', text);
          if (c && !c.lenient) {
            fast++;
            answered += c.answered;
          }
          if (c) expect(c.mismatches, text).toEqual([]);
        },
      ),
      { seed: Number(process.env.FAST_PATH_SEED ?? 20_261_122), numRuns: Number(process.env.FAST_PATH_RUNS ?? 400) },
    );
    // Most random documents take the fast path (the rest hold a `?`, `&`, `!`, `null:`… that sends them to yaml).
    expect(fast).toBeGreaterThan(250);
    expect(answered).toBeGreaterThan(10_000);
  }, 120_000);

  it('on random documents with YAML syntax planted where a node or a key can start', () => {
    // Tags, anchors, aliases, merge keys, explicit and null keys, directives, templates: wherever they land, either the
    // fast path declines the text, or what it gives is what the full parse gives.
    const NOISE = [
      '!!str ',
      '!!int ',
      '! ',
      '!local ',
      '&a ',
      '*a',
      '<<: *a',
      '? ',
      'null',
      '~',
      '',
      '%YAML 1.1\n---\n',
      '{{ x }}',
      '{{ .Values.x }}',
      '"{{ x }}"',
      '[a]',
      '{a: 1}',
      '# shipshape-ignore x',
      '--- ',
      '... ',
      '|\n  x',
      '"a\\"b"',
      "'a''b'",
      'a: b: c',
    ];
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(
            fc.string({ minLength: 1, maxLength: 5 }),
            fc.oneof(
              fc.string({ maxLength: 6 }),
              fc.integer(),
              fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
            ),
            { minKeys: 1, maxKeys: 4 },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...NOISE), fc.constantFrom('key', 'value', 'line')), {
          minLength: 1,
          maxLength: 3,
        }),
        (objs, plants) => {
          const lines = objs
            .map((o) => stringify(o))
            .join('---\n')
            .split('\n');
          for (const [at, noise, where] of plants) {
            const i = at % lines.length;
            const line = lines[i] ?? '';
            const colon = line.indexOf(': ');
            if (where === 'line') lines.splice(i, 0, noise);
            else if (where === 'key') lines[i] = line.replace(/^(\s*(?:- )?)/, `$1${noise}`);
            else
              lines[i] =
                colon === -1 ? `${line} ${noise}` : `${line.slice(0, colon + 2)}${noise}${line.slice(colon + 2)}`;
          }
          const text = lines.join('\n');
          const c = compare('planted', text);
          if (c && !c.lenient) {
            accepted++;
            expect(c.mismatches, text).toEqual([]);
          }
        },
      ),
      { seed: Number(process.env.FAST_PATH_SEED ?? 20_261_123), numRuns: Number(process.env.FAST_PATH_RUNS ?? 1500) },
    );
    expect(accepted).toBeGreaterThan(100);
  }, 120_000);

  it.each([
    [
      'YAML 1.1 and js-yaml-only numbers stay strings',
      'a: 0b11\nb: 1_000\nc: 1_0.5\nd: 2001-12-14\n',
      [{ a: '0b11', b: '1_000', c: '1_0.5', d: '2001-12-14' }],
    ],
    [
      'core numbers and booleans',
      'a: 0o17\nb: 0x1f\nc: +12\nd: .5\ne: 1.\nf: 1e3\ng: 012\nh: True\ni: FALSE\nj: Null\nk: ~\nl:\n',
      [{ a: 15, b: 31, c: 12, d: 0.5, e: 1, f: 1000, g: 12, h: true, i: false, j: null, k: null, l: null }],
    ],
    ['quoted scalars are strings', 'a: "1"\nb: \'true\'\nc: |\n  null\n', [{ a: '1', b: 'true', c: 'null\n' }]],
  ])('%s', (_name, text, want) => {
    expect(fastValues(text)).toStrictEqual(want);
    expect(fullParse(text).docs.map((d) => d.toJS())).toStrictEqual(want);
  });

  it.each([
    ['a merge key', 'x: &a {k: 1}\ny:\n  <<: *a\n'],
    ['a tag', 'a: !!str 1\n'],
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a null key', 'null: 1\n'],
    ['an empty key', ': 1\n'],
    ['a tilde key', '~: 1\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a collection key', '[a, b]: 1\n'],
    ['a directive', '%YAML 1.1\n---\na: yes\n'],
    ['a suppression comment', 'a: 1 # shipshape-ignore x\n'],
    ['template syntax', 'a: {{ .Values.x }}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['an anchor on a block mapping', 'a: &x\n  b: 1\n'],
    ['an anchor on a key', '&x a: 1\n'],
    ['a tag on the next line', 'a:\n  !!str 1\n'],
    ['a tag after a document marker', '--- !!map\na: 1\n'],
    ['a tag in a flow sequence', 'a: [1, !!str 2]\n'],
    ['a null key after a dash', '- null: 1\n'],
    ['a null key in a flow mapping', 'a: {b: 1, ~: 2}\n'],
    ['a Helm expression in a quoted scalar', 'a: "{{ .Values.x }}"\n'],
    ['braces read as a mapping in a mapping', 'a: {{ b }}\n'],
  ])('%s goes through the full parse', (_name, text) => {
    expect(fastValues(text)).toBeUndefined();
  });

  it.each([
    ['a `!` inside a quoted scalar', "rule: '!has(self.x) || !has(self.y)'\n"],
    ['`&&` in a command', 'command: sh -c "a && b"\nargs: a && b\n'],
    ['a question mark in a value', 'a: why? because\n'],
    [
      'Prometheus template text',
      "annotations:\n  summary: '{{ $labels.pod }} is down'\n  description: x {{ $value }}\n",
    ],
    ['a Go template in a block scalar', 'data:\n  t: |\n    {{ range . }}{{ end }}\n'],
  ])('%s stays on the fast path, with the same values', (_name, text) => {
    expect(fastValues(text)).toStrictEqual(fullParse(text).docs.map((d) => d.toJS()));
  });

  it('a fast-path file reports the same findings as its full parse (a file with a problem is re-read in full)', () => {
    const stray = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- just a list\n';
    const parsed = parseFile({ path: 'stray.yaml', absPath: '' }, stray);
    expect(parsed.problems.map((p) => [p.ruleId, p.range.startLine, p.range.startColumn])).toEqual([
      ['invalid-yaml', 5, 1],
    ]);
  });
});

describe('positions in a file of many documents (issue #19)', () => {
  // More documents than the trees kept (event-locator.ts keeps the 2,048 located last): each is built from its own
  // slice of the trace, and a tree dropped and built again answers the same.
  const count = 3000;
  const text = Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  labels: {app: a${i % 7}}\ndata:\n  key: "v${i}"\n  list: [1, 2]\n`,
  ).join('---\n');
  const read = fastRead(text)!;
  const { docs, lines } = fullParse(text);

  it('reads every document on the fast path, with a compact trace and the values at their length', () => {
    expect(read.values).toHaveLength(count);
    expect(read.trace).toBeInstanceOf(Int32Array);
    expect(read.text).toBe(text);
    const list = (read.values[5] as { data: { list: number[] } }).data.list;
    expect(list).toEqual([1, 2]);
  });

  it('locates each document as the full parse does, before and after its tree is dropped', () => {
    const events = new EventDocuments(text, read.trace, read.values);
    const paths: Path[] = [
      ['metadata', 'name'],
      ['data', 'key'],
      ['metadata', 'labels', 'app'],
      ['data', 'list', 1],
      ['spec'],
    ];
    const want = (i: number, p: Path) => {
      const locator = new DocumentLocator(docs[i]!, lines, [], 'kind');
      locator.srcText = text;
      const w = locator.locate(p);
      return { range: w.range, exact: w.exact };
    };
    const got = (i: number, p: Path) => {
      const hit = events.span(i, [], 'kind', p);
      return hit && { range: rangeOf(lines, hit.span), exact: hit.exact };
    };
    for (const i of [count - 1, 0, 1500]) for (const p of paths) expect(got(i, p)).toEqual(want(i, p));
    for (let i = 0; i < count; i++) expect(got(i, ['metadata', 'name'])).toEqual(want(i, ['metadata', 'name']));
    // Document 0's tree was dropped by now: built again, it gives the same ranges.
    for (const p of paths) expect(got(0, p)).toEqual(want(0, p));
    expect(got(count - 1, ['metadata', 'name'])?.range).toEqual({
      startLine: (count - 1) * 9 + 4,
      startColumn: 3,
      endLine: (count - 1) * 9 + 4,
      endColumn: 3 + `name: cm-${count - 1}`.length,
    });
  });
});
