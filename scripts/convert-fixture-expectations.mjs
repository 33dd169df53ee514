#!/usr/bin/env node
// Converts fixture expectations from the old header format (`# expect: <rule-id> <line>:<col> [severity]`, absolute
// line numbers at the top of the file) to markers under the reported line (src/tools/expectations.ts,
// test/fixtures/README.md). The end of each range, which the old format did not give, is taken from what shipshape
// reports now, so run it on fixtures whose tests pass. Each converted case is checked again: the same findings, at the
// same places once the lines moved, and every marker met exactly; a case that fails is left as it was.
//
//   npm run build && node scripts/convert-fixture-expectations.mjs [test/fixtures/<rule>/...]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { lint } = await import(path.join(ROOT, 'dist/index.js'));
const { parseExpectations } = await import(path.join(ROOT, 'dist/tools/expectations.js'));
const { rulesById } = await import(path.join(ROOT, 'dist/rules/index.js'));

/** As the fixture tests run a case: a rule that is off by default is on for its own fixtures, at its strict severity. */
function lintCase(target) {
  const rule = path.relative(path.join(ROOT, 'test/fixtures'), target).split(path.sep)[0];
  const meta = rulesById.get(rule)?.meta;
  const ruleFlags = meta?.offByDefault ? [`${rule}=${meta.strictSeverity ?? meta.severity}`] : [];
  return lint({ paths: [rel(target)], cwd: ROOT, ruleFlags });
}

const OLD = /^\s*#\s*expect:\s*([a-z0-9-]+)\s+(\d+):(\d+)(?:\s+(error|warning|note))?\s*$/;
const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/');
const filesUnder = (p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .sort()
        .flatMap((e) => filesUnder(path.join(p, e)))
    : [p];

/** Every case (a file or a directory directly under should-fire/ or dont-fire/) below the given paths. */
function casesUnder(p) {
  const base = path.basename(p);
  if (base === 'should-fire' || base === 'dont-fire')
    return readdirSync(p)
      .filter((e) => !e.startsWith('_'))
      .sort()
      .map((e) => path.join(p, e));
  const parent = path.basename(path.dirname(p));
  if (parent === 'should-fire' || parent === 'dont-fire') return [p];
  if (!statSync(p).isDirectory()) return [];
  return readdirSync(p)
    .sort()
    .flatMap((e) => casesUnder(path.join(p, e)));
}

/** The marker line for a range starting on the line it follows. */
function marker(target, f, severity) {
  const { startColumn: c, endLine, endColumn } = f.range;
  const indent = /^ */.exec(target)[0].length;
  const words = [f.ruleId, ...(severity ? [severity] : []), ...(f.messageId ? [`[${f.messageId}]`] : [])];
  const single = endLine === f.range.startLine;
  if (c === 1) {
    // The `#` stands on column 1: carets from column 2 up to the end.
    if (single && endColumn > 2) return `#${'^'.repeat(endColumn - 2)} ${words.join(' ')} (column 1)`;
    return `#^ ${words.join(' ')} (column 1) (end +${endLine - f.range.startLine}:${endColumn})`;
  }
  const hash = Math.max(0, Math.min(indent, c - 3));
  const prefix = `${' '.repeat(hash)}#${' '.repeat(c - 2 - hash)}`;
  if (single && endColumn > c) return `${prefix}${'^'.repeat(endColumn - c)} ${words.join(' ')}`;
  return `${prefix}^ ${words.join(' ')} (end +${endLine - f.range.startLine}:${endColumn})`;
}

const key = (f, line = f.range.startLine, endLine = f.range.endLine) =>
  `${f.ruleId} ${f.file} ${line}:${f.range.startColumn}-${endLine}:${f.range.endColumn} ${f.severity} ${f.message}`;

let converted = 0;
let failed = 0;
for (const target of process.argv.slice(2).length
  ? process.argv.slice(2).flatMap((a) => casesUnder(path.resolve(a)))
  : casesUnder(path.join(ROOT, 'test/fixtures'))) {
  const files = filesUnder(target).filter((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .some((l) => OLD.test(l)),
  );
  if (!files.length) continue;
  const before = await lintCase(target);
  const originals = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  /** file → old line → new line (for the check) */
  const moved = new Map();
  const problems = [];
  for (const file of files) {
    const lines = originals.get(file).split('\n');
    const wanted = new Map(); // old line → marker lines
    for (const l of lines) {
      const m = OLD.exec(l);
      if (!m) continue;
      const [, ruleId, line, column, severity] = m;
      const f = before.findings.find(
        (x) =>
          x.ruleId === ruleId &&
          x.file === rel(file) &&
          x.range.startLine === Number(line) &&
          x.range.startColumn === Number(column),
      );
      if (!f) {
        problems.push(`${rel(file)}: no ${ruleId} finding at ${line}:${column} now`);
        continue;
      }
      if (!wanted.has(f.range.startLine)) wanted.set(f.range.startLine, []);
      wanted.get(f.range.startLine).push({ f, severity });
    }
    const out = [];
    const map = new Map();
    const ends = [];
    lines.forEach((l, i) => {
      if (OLD.test(l)) return;
      map.set(i + 1, out.length + 1);
      out.push(l);
      for (const w of (wanted.get(i + 1) ?? []).sort((a, b) => a.f.range.startColumn - b.f.range.startColumn)) {
        out.push(marker(l, w.f, w.severity));
        if (w.f.range.endLine !== w.f.range.startLine) ends.push({ at: out.length - 1, w });
      }
    });
    // A range over several lines: its end counts the marker lines put in between.
    for (const { at, w } of ends) {
      const n = map.get(w.f.range.endLine) - map.get(w.f.range.startLine);
      out[at] = out[at].replace(/\(end \+\d+:/, `(end +${n}:`);
    }
    moved.set(rel(file), map);
    writeFileSync(file, out.join('\n'));
  }
  const after = await lintCase(target);
  const shift = (f) => {
    const map = moved.get(f.file);
    return map ? key(f, map.get(f.range.startLine), map.get(f.range.endLine)) : key(f);
  };
  const want = before.findings.map(shift).sort();
  const got = after.findings.map((f) => key(f)).sort();
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    problems.push(
      `findings changed: ${want.filter((k) => !got.includes(k)).join(' | ')} → ${got.filter((k) => !want.includes(k)).join(' | ')}`,
    );
  }
  for (const file of files) {
    for (const e of parseExpectations(readFileSync(file, 'utf8'))) {
      const ok = after.findings.some(
        (f) =>
          f.ruleId === e.ruleId &&
          f.file === rel(file) &&
          f.range.startLine === e.line &&
          f.range.startColumn === e.column &&
          f.range.endLine === e.endLine &&
          f.range.endColumn === e.endColumn &&
          (!e.severity || f.severity === e.severity),
      );
      if (!ok) problems.push(`${rel(file)}:${e.markerLine}: marker not met`);
    }
  }
  if (problems.length) {
    for (const [f, text] of originals) writeFileSync(f, text);
    failed++;
    console.error(`not converted: ${rel(target)}\n  ${problems.join('\n  ')}`);
  } else {
    converted++;
  }
}
console.log(`${converted} cases converted, ${failed} left as they were`);
process.exitCode = failed ? 1 : 0;
