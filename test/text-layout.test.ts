import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from '../src/index.js';
import { formatText, wrap } from '../src/report/text.js';
import { plural, type LintResult } from '../src/report/types.js';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp.js';

/**
 * The text report at the widths of a small and a common terminal (the reporter is pure: the width is an option, the
 * CLI passes the terminal's when stdout is one), and unwrapped when piped.
 */
const FILES = [
  'test/fixtures/secret-in-env/should-fire/literals.yaml',
  'test/fixtures/hpa-min-replicas/should-fire/hpa-versions.yaml',
  'examples/k8s/shop/frontend.yaml',
];
let result: LintResult;

beforeAll(async () => {
  result = await lint({ paths: FILES, cwd: ROOT });
});

describe('text layout', () => {
  it.each([80, 120])('at width %i: snapshot; no line wider than the terminal; same words as unwrapped', (width) => {
    const text = formatText(result, { color: false, width });
    expect(text).toMatchSnapshot();
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
    expect(words(text)).toEqual(words(formatText(result, { color: false })));
  });

  it('--verbose adds why and fix under each finding, wrapped to the same column', () => {
    const text = formatText(result, { color: false, width: 100, verbose: true });
    expect(text).toMatchSnapshot();
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('STRIPE_API_KEY'));
    const rest = lines.slice(at + 1);
    expect(rest.find((l) => l.trimStart().startsWith('why: '))).toMatch(/^ {18}why: /);
    expect(rest.find((l) => l.trimStart().startsWith('fix: '))).toMatch(/^ {18}fix: /);
  });

  it('the summary counts the files with problems out of the files read', () => {
    const text = formatText(result, { color: false });
    const n = (s: string): string => plural(result.findings.filter((f) => f.severity === s).length, s);
    expect(result.files).toBe(3);
    expect(new Set(result.findings.map((f) => f.file)).size).toBe(2);
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      `✖ ${result.findings.length} problems (${n('error')}, ${n('warning')}, ${n('note')}) in 2 of 3 files.`,
      `  ${result.findings.filter((f) => f.fix).length} of them fixable with --fix`,
    ]);
    expect(result.findings.filter((f) => f.fix).length).toBe(9);
  });

  it('a narrow terminal puts the message under the position instead of in a sliver', () => {
    const text = formatText(result, { color: false, width: 40 });
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^ {2}\d+:\d+ +(warning|error|note)$/);
    expect(lines[2]).toMatch(/^ {4}\S/);
    for (const line of lines.filter((l) => l.startsWith(' '))) expect(line.length, line).toBeLessThanOrEqual(40);
  });

  it('wrap() breaks at spaces only and keeps an over-long word whole', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('x '.repeat(3) + 'y'.repeat(12), 8)).toEqual(['x x x', 'yyyyyyyyyyyy']);
    expect(wrap('message.  rule-id', 10)).toEqual(['message.', 'rule-id']);
    expect(wrap('short', undefined)).toEqual(['short']);
  });
});

describe('text from the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('shipshape-text-');
    writeFileSync(path.join(dir, 'api.yaml'), readFileSync(path.join(ROOT, FILES[0]!)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('piped: one finding per line, never wrapped', async () => {
    const r = await runCli(['api.yaml'], { cwd: dir });
    const findings = r.stdout.split('\n').filter((l) => /^ {2}\d+:\d+ /.test(l));
    expect(findings).toHaveLength(8);
    // Each finding whole on its line: position, severity, message and rule id, never continued on the next.
    expect(findings.every((l) => / {2}[a-z-]+$/.test(l))).toBe(true);
    expect(r.stdout.split('\n').filter((l) => /^ {3,}\S/.test(l))).toEqual([]);
  });

  it('--verbose prints why and fix', async () => {
    const r = await runCli(['api.yaml', '--verbose'], { cwd: dir });
    expect(r.stdout).toMatch(/\n {18}why: .*\n {18}fix: /);
  });
});
