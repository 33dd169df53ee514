#!/usr/bin/env node
// Adversarial benchmark of every regular expression shipshape may apply to user input: `node bench/regex-adversarial.mjs`.
//
// Not a test (timings depend on the machine): it prints, for each pattern, the slowest of many 1 MiB inputs built to
// make a backtracking engine work hard (long runs of each character the pattern mentions, of its literal fragments,
// and of pairs of them, each ended by a character that makes the match fail). A linear-time pattern takes a few
// milliseconds per MiB; one that backtracks super-linearly takes seconds or never ends, and shows at the top.
//
// Patterns are found, not listed by hand, so rules added later are covered too:
//   - every regular expression literal in src/**/*.ts (parsed with the TypeScript compiler);
//   - every `pattern` of the bundled schemas (schemas/kubernetes/*.json.gz, schemas/compose-spec.json), which the
//     schema rule applies to manifest values.
// `new RegExp(...)` calls are listed too: their sources are built at run time and are benchmarked only when the
// script knows a representative source (see DYNAMIC below).
//
// Options: --size <bytes> (default 1048576), --limit-ms <n> (only print patterns slower than n), --filter <text>,
// --budget-ms <n> (stop feeding a pattern once one input took that long; default 2000).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const SIZE = Number(opt('size', 1 << 20));
const LIMIT_MS = Number(opt('limit-ms', 0));
const FILTER = opt('filter', '');
const BUDGET_MS = Number(opt('budget-ms', 2000));

/** Sources of `new RegExp(...)` as the code builds them, with a typical user value in place of the variable part. */
const DYNAMIC = {
  'src/load/render.ts': [
    { source: String.raw`^\s*kind:\s*["']?Deployment\b`, flags: '' },
    { source: String.raw`^\s*(?:-\s*)?["']?name["']?\s*:`, flags: '' },
  ],
  'src/schema/crd.ts': [
    // A CRD's own `pattern`, applied by the schema rule to the values of its custom resources: user-supplied.
    { source: String.raw`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`, flags: 'u' },
  ],
};

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = path.join(dir, e);
      return statSync(p).isDirectory() ? walk(p) : /\.ts$/.test(e) && !/\.d\.ts$/.test(e) ? [p] : [];
    });
}

/** Every regex literal of a file, with its line. */
function literalsIn(file) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const dynamic = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const lit = node.text;
      const end = lit.lastIndexOf('/');
      out.push({
        source: lit.slice(1, end),
        flags: lit.slice(end + 1),
        line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      dynamic.push(sf.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { literals: out, dynamic };
}

function schemaPatterns() {
  const found = new Map();
  const collect = (node, where) => {
    if (Array.isArray(node)) node.forEach((n) => collect(n, where));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'pattern' && typeof v === 'string' && !found.has(v)) found.set(v, where);
        else if (k === 'patternProperties' && v && typeof v === 'object')
          for (const p of Object.keys(v)) if (!found.has(p)) found.set(p, where);
        collect(v, where);
      }
    }
  };
  const kdir = path.join(ROOT, 'schemas/kubernetes');
  let files = [];
  try {
    files = readdirSync(kdir)
      .filter((f) => f.endsWith('.json.gz'))
      .sort();
  } catch {
    /* no bundled schemas */
  }
  for (const f of files)
    collect(JSON.parse(gunzipSync(readFileSync(path.join(kdir, f))).toString('utf8')), `schemas/kubernetes/${f}`);
  try {
    collect(
      JSON.parse(readFileSync(path.join(ROOT, 'schemas/compose-spec.json'), 'utf8')),
      'schemas/compose-spec.json',
    );
  } catch {
    /* no compose schema */
  }
  // Ajv compiles schema patterns with the u flag.
  return [...found].map(([source, where]) => ({ source, flags: 'u', where }));
}

/** Inputs built from what the pattern itself mentions: the strings that make a backtracking engine retry the most. */
function inputsFor(source) {
  const chars = new Set([
    'a',
    'A',
    '0',
    ' ',
    '\t',
    '-',
    '_',
    '.',
    '/',
    ':',
    '=',
    '@',
    '$',
    '{',
    '}',
    '[',
    '"',
    "'",
    '\\',
    ',',
    '#',
    '\n',
  ]);
  const unescaped = source.replace(/\\[dDwWsSbB]/g, '');
  for (const ch of unescaped.replace(/\\(.)/g, '$1'))
    if (ch.charCodeAt(0) < 0x7f && ch.charCodeAt(0) >= 0x20) chars.add(ch);
  // Literal fragments (AKIA, ://, -----BEGIN, ${, docker.sock…), unescaped.
  const fragments = new Set();
  for (const m of source.matchAll(/(?:\\.|[A-Za-z0-9_:/.=@$#{}-]){2,}/g)) fragments.add(m[0].replace(/\\(.)/g, '$1'));
  const units = [...chars];
  // Pairs of the characters the pattern itself names first (after the common ones), then the common ones.
  const own = [...chars].slice(22);
  const top = [...own.slice(0, 6), 'a', ' ', '0', '-', ':', '/'].slice(0, 10);
  for (const a of top) for (const b of top) if (a !== b) units.push(a + b);
  for (const f of fragments) units.push(f, `${f} `, `a${f}`, `${f}a`);
  const inputs = [];
  for (const u of units) {
    const body = u.repeat(Math.max(1, Math.floor(SIZE / u.length)));
    // Ended by a character that makes the match fail: NUL (matched by almost nothing) and a newline (ends `.` and `$`).
    // Built through a Buffer, so that the string is flat and no timing includes flattening a rope.
    for (const e of ['\u0000', '\n'])
      inputs.push({
        label: `${JSON.stringify(u)}×${Math.floor(SIZE / u.length)}+${JSON.stringify(e)}`,
        text: Buffer.from(body + e).toString(),
      });
  }
  return inputs;
}

function bench(entry) {
  let re;
  try {
    // Without g, each test searches the whole input from its start: the worst case of a replace or a matchAll. A sticky
    // pattern is tried once, at offset 0, as the code does at each position it chooses (a tokenizer's next token).
    re = new RegExp(entry.source, entry.flags.replace(/g/g, ''));
  } catch (err) {
    return { ...entry, error: String(err.message ?? err) };
  }
  let worst = { ms: 0, label: '' };
  let total = 0;
  let n = 0;
  const run = (text) => {
    re.lastIndex = 0;
    const t0 = performance.now();
    re.test(text);
    return performance.now() - t0;
  };
  let worstText = '';
  for (const input of inputsFor(entry.source)) {
    const ms = run(input.text);
    total += ms;
    n++;
    if (ms > worst.ms) {
      worst = { ms, label: input.label };
      worstText = input.text;
    }
    if (ms > BUDGET_MS) break;
  }
  // A busy machine can pause any single run: the worst input is timed twice more and the fastest of the three kept.
  if (worst.ms > 5 && worst.ms <= BUDGET_MS) worst.ms = Math.min(worst.ms, run(worstText), run(worstText));
  return { ...entry, worst, inputs: n, mean: total / n };
}

const entries = [];
const dynamicSites = [];
for (const file of walk(path.join(ROOT, 'src'))) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  if (rel.startsWith('src/tools/')) continue; // build-time code, never sees user input
  const { literals, dynamic } = literalsIn(file);
  for (const l of literals) entries.push({ ...l, where: `${rel}:${l.line}` });
  for (const line of dynamic) dynamicSites.push(`${rel}:${line}`);
}
for (const [file, list] of Object.entries(DYNAMIC))
  for (const d of list) entries.push({ ...d, where: `${file} (new RegExp)` });
entries.push(...schemaPatterns());

const selected = entries.filter((e) => !FILTER || e.where.includes(FILTER) || e.source.includes(FILTER));
console.log(
  `shipshape regex benchmark: ${selected.length} patterns, inputs of ${(SIZE / (1 << 20)).toFixed(2)} MiB, node ${process.version}\n`,
);
const results = [];
const t0 = performance.now();
for (const e of selected) results.push(bench(e));
results.sort((a, b) => (b.worst?.ms ?? 0) - (a.worst?.ms ?? 0));
const shown = results.filter((r) => r.error || (r.worst?.ms ?? 0) >= LIMIT_MS);
const width = Math.min(70, Math.max(...shown.map((r) => r.source.length + r.flags.length + 2), 10));
console.log(`${'worst ms'.padStart(9)}  ${'mean ms'.padStart(8)}  ${'pattern'.padEnd(width)}  where  (slowest input)`);
for (const r of shown) {
  const pat = `/${r.source}/${r.flags}`;
  const clipped = pat.length > width ? `${pat.slice(0, width - 1)}…` : pat.padEnd(width);
  if (r.error) console.log(`${'error'.padStart(9)}  ${''.padStart(8)}  ${clipped}  ${r.where}  ${r.error}`);
  else
    console.log(
      `${r.worst.ms.toFixed(1).padStart(9)}  ${r.mean.toFixed(2).padStart(8)}  ${clipped}  ${r.where}  (${r.worst.label.slice(0, 40)})`,
    );
}
const slow = results.filter((r) => (r.worst?.ms ?? 0) > 250);
console.log(
  `\n${results.length} patterns in ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest ${results[0]?.worst?.ms.toFixed(1) ?? 0} ms per ${(SIZE / (1 << 20)).toFixed(2)} MiB input.`,
);
if (dynamicSites.length)
  console.log(`new RegExp(...) call sites (sources built at run time): ${dynamicSites.join(', ')}`);
if (slow.length)
  console.log(
    `${slow.length} pattern(s) over 250 ms: look for nested or overlapping quantifiers (see the top of the table).`,
  );
