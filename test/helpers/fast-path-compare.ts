import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { Composer, LineCounter, Parser, type Document } from 'yaml';
import { EventDocuments } from '../../src/load/event-locator.js';
import { fastRead } from '../../src/load/fast.js';
import { fullParse as fullParseFile, parseFile } from '../../src/load/parse.js';
import { DocumentLocator, rangeOf } from '../../src/model/locate.js';
import type { Path } from '../../src/model/types.js';
import { ROOT } from './fixtures.js';

/** The comparison of the loader's fast path with the full `yaml` parse, shared by the fast and the e2e (corpus) tests. */

export function filesUnder(dir: string): string[] {
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

export function fullParse(text: string): { docs: Document[]; lines: LineCounter } {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const docs = Array.from(
    new Composer({ merge: true, strict: false, logLevel: 'error' }).compose(new Parser().parse(text)),
  ) as Document[];
  return { docs, lines };
}

/** Every path to a node of a value, plus one missing key under each mapping and one index past each sequence. */
export function pathsOf(value: unknown, base: Path = [], out: Path[] = [], limit = 4000): Path[] {
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

export interface Comparison {
  file: string;
  /** Paths the event locator answered, and the ones it left to `yaml`. */
  answered: number;
  declined: number;
  mismatches: string[];
  /** `yaml` rejects a text js-yaml reads (see fast.ts): not compared. */
  lenient?: boolean;
}

export const stripBom = (t: string): string => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);

/** Compare the fast path with the full parse on one text (undefined when the fast path declines the whole file). */
export function compare(file: string, raw: string): Comparison | undefined {
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

export function compareAll(files: string[]): {
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
    if (c.lenient) total.lenient.push(f);
    total.answered += c.answered;
    total.declined += c.declined;
    total.mismatches.push(...c.mismatches.map((m) => `${path.relative(ROOT, f)}: ${m}`));
  }
  return total;
}
