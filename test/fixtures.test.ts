import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineResourceRule } from '../src/engine/rule.js';
import { lint, rules } from '../src/index.js';
import type { Finding } from '../src/model/types.js';
import { rulesById } from '../src/rules/index.js';
import { fixtureCases, ROOT, type Expectation } from './helpers/fixtures.js';

/**
 * Table-driven rule tests. Each fixture under test/fixtures/<rule-id>/ declares its own expectations with markers under
 * the reported lines (test/fixtures/README.md):
 *   should-fire/<case>: a marker for every finding of that rule, start and end and message id (the exact set);
 *   dont-fire/<case>: no finding of that rule at all.
 * A case may be a directory: its files are checked in one run (cross-resource cases). Every parsed object is frozen
 * before the rules see it: a rule that writes to its input throws, which the run reports as an internal-error.
 */
const cases = fixtureCases();

const at = (x: { file: string; line: number; column: number; endLine: number; endColumn: number }): string =>
  `${x.file} ${x.line}:${x.column}-${x.endLine}:${x.endColumn}`;
const found = (f: Finding): string =>
  at({
    file: f.file,
    line: f.range.startLine,
    column: f.range.startColumn,
    endLine: f.range.endLine,
    endColumn: f.range.endColumn,
  });
const met = (e: Expectation, f: Finding): boolean =>
  f.ruleId === e.ruleId &&
  found(f) === at(e) &&
  (!e.severity || f.severity === e.severity) &&
  f.messageId === e.messageId;

describe('freezeInput', () => {
  it('a rule that writes to its input fails under it, and only under it', async () => {
    const mutating = defineResourceRule({
      id: 'mutating-rule',
      meta: {
        severity: 'warning',
        family: 'reliability',
        description: 'd',
        rationale: 'r',
        remediation: 'm',
        messages: {},
      },
      applies: { platforms: ['kubernetes'] },
      check(r) {
        (r.value.metadata as Record<string, unknown>).touched = true;
      },
    });
    const run = (freezeInput: boolean) =>
      lint({ paths: ['examples/k8s/shop/frontend.yaml'], cwd: ROOT, rules: [...rules, mutating], freezeInput });
    const frozen = (await run(true)).findings.filter((f) => f.ruleId === 'internal-error');
    expect(frozen.length).toBeGreaterThan(0);
    expect(frozen[0]!.message).toMatch(
      /^rule mutating-rule failed on this resource and was skipped: .*read.only|not extensible/,
    );
    expect((await run(false)).findings.filter((f) => f.ruleId === 'internal-error')).toEqual([]);
  });
});

describe('fixtures', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [`${c.rule}/${c.intent}/${c.name}`, c] as const))('%s', async (_name, c) => {
    expect(rulesById.has(c.rule), `fixture folder ${c.rule} names no registered rule`).toBe(true);
    // A rule that is off by default is turned on for its own fixtures, at its strict severity.
    const meta = rulesById.get(c.rule)!.meta;
    const ruleFlags = meta.offByDefault ? [`${c.rule}=${meta.strictSeverity ?? meta.severity}`] : [];
    const result = await lint({ paths: [path.relative(ROOT, c.target)], cwd: ROOT, ruleFlags, freezeInput: true });
    expect(result.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([]);
    const got = result.findings
      .filter((f) => f.ruleId === c.rule)
      .map(found)
      .sort();
    const want = c.expectations
      .filter((e) => e.ruleId === c.rule)
      .map(at)
      .sort();
    if (c.intent === 'should-fire') {
      expect(want.length, 'a should-fire fixture has at least one marker of its rule').toBeGreaterThan(0);
      expect(got).toEqual(want);
    } else {
      expect(got).toEqual([]);
    }
    // Every marker names the message its finding reports.
    expect(c.expectations.filter((e) => !e.messageId).map((e) => `${e.ruleId} ${at(e)}: no [messageId]`)).toEqual([]);
    // Severities and message ids written in markers, and other rules' markers in the same fixture, hold too.
    const unmet = c.expectations.filter((e) => !result.findings.some((f) => met(e, f)));
    expect(
      unmet.map((e) => `${e.ruleId} ${at(e)}${e.severity ? ` ${e.severity}` : ''} [${e.messageId ?? ''}]`),
    ).toEqual([]);
  });
});
