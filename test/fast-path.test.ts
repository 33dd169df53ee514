import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generate } from '../bench/generate.js';
import { EventDocuments } from '../src/load/event-locator.js';
import { fastRead, fastValues } from '../src/load/fast.js';
import { fullParse as parseFile } from '../src/load/parse.js';
import { DocumentLocator, rangeOf } from '../src/model/locate.js';
import type { Path } from '../src/model/types.js';
import { compare, compareAll, filesUnder, fullParse } from './helpers/fast-path-compare.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';
import { tempDir } from './helpers/temp.js';

/**
 * The loader's fast path (src/load/fast.ts, src/load/event-locator.ts) must give exactly what the full `yaml` parse
 * gives: the same value for every document, and the same range for every path a finding can report. Checked here on
 * every file of the corpus, the fixtures, the examples, a generated 1,000-resource tree and random documents. The
 * whole-run outputs (same findings, byte for byte, on the corpus and the benchmark trees) are compared in bench/README.md.
 */

describe('the fast path gives what the full yaml parse gives', () => {
  let tree: string;
  beforeAll(() => {
    // The generator writes <out>.summary.json beside the tree: both inside one temporary directory.
    tree = path.join(tempDir('shipshape-fast-'), 'tree');
    generate({ resources: 1000, out: tree, seed: 7 });
  });

  it('on every fixture and example, also with CRLF line ends and tabs after colons', () => {
    const files = [...filesUnder(FIXTURES), ...filesUnder(path.join(ROOT, 'examples'))];
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
