import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { rulesById } from '../src/rules/index.js';
import { fixtureCases, ROOT } from './helpers/fixtures.js';

/**
 * Table-driven rule tests. Each fixture under test/fixtures/<rule-id>/ declares its own expectations:
 *   should-fire/<case>.yaml: `# expect: <rule-id> <line>:<col>-<endLine>:<endCol> [severity] [messageId]` for every
 *   finding of that rule (exact set; the end, the severity and the message id are asserted when given);
 *   dont-fire/<case>.yaml: no finding of that rule at all.
 * A case may be a directory: its files are checked in one run (cross-resource rules).
 */
const cases = fixtureCases();

describe('fixtures', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [`${c.rule}/${c.intent}/${c.name}`, c] as const))('%s', async (_name, c) => {
    expect(rulesById.has(c.rule), `fixture folder ${c.rule} names no registered rule`).toBe(true);
    const result = await lint({ paths: [path.relative(ROOT, c.target)], cwd: ROOT });
    const got = result.findings
      .filter((f) => f.ruleId === c.rule)
      .map((f) => `${f.file} ${f.range.startLine}:${f.range.startColumn}`)
      .sort();
    const want = c.expectations
      .filter((e) => e.ruleId === c.rule)
      .map((e) => `${e.file} ${e.line}:${e.column}`)
      .sort();
    if (c.intent === 'should-fire') {
      expect(want.length, 'a should-fire fixture declares at least one # expect:').toBeGreaterThan(0);
      expect(got).toEqual(want);
    } else {
      expect(got).toEqual([]);
    }
    for (const e of c.expectations.filter((x) => x.ruleId === c.rule)) {
      const at = result.findings.filter(
        (x) =>
          x.ruleId === c.rule && x.file === e.file && x.range.startLine === e.line && x.range.startColumn === e.column,
      );
      const where = `${e.file} ${e.line}:${e.column}`;
      if (e.severity)
        expect(
          at.map((f) => f.severity),
          `severity at ${where}`,
        ).toContain(e.severity);
      if (e.messageId)
        expect(
          at.map((f) => f.messageId),
          `messageId at ${where}`,
        ).toContain(e.messageId);
      if (e.end)
        expect(
          at.map((f) => `${f.range.endLine}:${f.range.endColumn}`),
          `end at ${where}`,
        ).toContain(`${e.end.line}:${e.end.column}`);
    }
    // Other rules' expectations written in the same fixture hold too.
    const others = c.expectations.filter((e) => e.ruleId !== c.rule);
    for (const e of others) {
      expect(
        result.findings.some(
          (f) =>
            f.ruleId === e.ruleId &&
            f.file === e.file &&
            f.range.startLine === e.line &&
            f.range.startColumn === e.column,
        ),
      ).toBe(true);
    }
  });
});
