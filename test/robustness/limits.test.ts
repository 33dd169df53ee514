import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  expectHealthyChecked,
  expectNoInternalError,
  HEALTHY,
  HEALTHY_NAME,
  lintIn,
  tempDir,
  writeTree,
} from './helpers.js';

/** The classic "billion laughs": nine levels of nine aliases, 9^9 strings once expanded. */
function billionLaughs(): string {
  const names = 'abcdefghi';
  let out =
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < names.length; i++)
    out += `  ${names[i]}: &${names[i]} [${Array(9)
      .fill(`*${names[i - 1]}`)
      .join(',')}]\n`;
  return out;
}

/** The same attack through Compose merge keys (`<<: *x`), which Swarm stacks use for shared defaults. */
function mergeBomb(): string {
  let out = 'x-l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n';
  for (let i = 1; i < 12; i++)
    out += `x-l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  return `${out}services:\n  web:\n    image: nginx:1.27\n    labels: *l11\n`;
}

const blockMaps = (depth: number): string => {
  let s = 'apiVersion: example.com/v1\nkind: Deep\nmetadata: {name: deep}\nspec:\n';
  for (let i = 0; i < depth; i++) s += `${' '.repeat(i + 2)}k:\n`;
  return `${s}${' '.repeat(depth + 2)}leaf\n`;
};

interface Case {
  name: string;
  text: () => string;
  expect: string;
  message: string;
}

const CASES: Case[] = [
  {
    name: 'billion laughs',
    text: billionLaughs,
    expect: 'invalid-yaml 1:1',
    message: 'its aliases expand more than 100 times (an alias bomb): not read',
  },
  { name: 'alias bomb through merge keys (<<)', text: mergeBomb, expect: 'invalid-yaml 1:1', message: 'alias bomb' },
  {
    name: '100,000 nested flow sequences',
    text: () => `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    expect: 'invalid-yaml 1:259',
    message: 'nested more than 256 levels deep: not parsed',
  },
  {
    name: '100,000 nested flow mappings',
    text: () => `a: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`,
    expect: 'invalid-yaml 1:1024',
    message: 'nested more than 256 levels deep',
  },
  {
    name: '1 MB of unclosed brackets',
    text: () => `a: ${'['.repeat(1 << 20)}\n`,
    expect: 'invalid-yaml 1:259',
    message: 'nested more than 256 levels deep',
  },
  {
    name: '100,000 compact sequences on one line (- - - …)',
    text: () => `${'- '.repeat(100_000)}x\n`,
    expect: 'invalid-yaml 1:511',
    message: 'nested more than 256 levels deep',
  },
  // 790–999 levels passed the old 1000-level pre-check and ran the parser out of stack, at times inside V8's regex compiler (abort).
  {
    name: '900 nested flow sequences: refused before the parser runs',
    text: () => `a: ${'['.repeat(900)}${']'.repeat(900)}\n`,
    expect: 'invalid-yaml 1:259',
    message: 'nested more than 256 levels deep',
  },
  {
    name: '900 levels, CR line ends and a merge key',
    text: () => `x: &a {k: 1}\ry:\r  <<: *a\r  z: ${'['.repeat(900)}${']'.repeat(900)}\r`,
    expect: 'invalid-yaml 1:285',
    message: 'nested more than 256 levels deep',
  },
  {
    name: '300 compact levels on CR-only lines',
    text: () => Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}- `).join('\r') + 'x\r',
    expect: 'invalid-yaml ',
    message: 'nested more than 256 levels deep',
  },
  {
    name: '2,000 levels of block indentation (4 MB)',
    text: () => blockMaps(2000),
    expect: 'invalid-yaml 260:258',
    message: 'nested more than 256 levels deep',
  },
];

describe('alias bombs and deep nesting: bounded time and memory, then a finding; the other files are still checked', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = writeTree(tempDir(), { 'hostile.yaml': c.text(), [HEALTHY_NAME]: HEALTHY });
    const t0 = performance.now();
    const result = await lintIn(dir, ['.']);
    const seconds = (performance.now() - t0) / 1000;
    const own = result.findings.filter((f) => f.file === 'hostile.yaml');
    expect(own).toHaveLength(1);
    expect(`${own[0]!.ruleId} ${own[0]!.range.startLine}:${own[0]!.range.startColumn}`).toContain(c.expect);
    expect(own[0]!.message).toContain(c.message);
    expectHealthyChecked(result.findings);
    expectNoInternalError(result.findings);
    // Not a benchmark: a generous bound that a hang or an exponential expansion could never meet.
    expect(seconds).toBeLessThan(60);
  });

  it('the CLI stays within a 256 MB heap on every one of them at once', async () => {
    const files: Record<string, string> = { [HEALTHY_NAME]: HEALTHY };
    CASES.forEach((c, i) => (files[`hostile-${i}.yaml`] = c.text()));
    const dir = writeTree(tempDir(), files);
    const r = await runCli(['.', '--format', 'json'], {
      cwd: dir,
      env: { NODE_OPTIONS: '--max-old-space-size=256' },
      timeoutMs: 300_000,
    });
    expect(r.killed).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string }[] };
    for (let i = 0; i < CASES.length; i++)
      expect(out.findings.filter((f) => f.file === `hostile-${i}.yaml`).map((f) => f.ruleId)).toEqual(['invalid-yaml']);
    expect(out.findings.some((f) => f.file === HEALTHY_NAME && f.ruleId === 'single-replica')).toBe(true);
  }, 320_000);

  it('legitimate aliases and deep-but-sane nesting are read and checked', async () => {
    const anchors = `x-defaults: &defaults\n  image: nginx:1.27\n  deploy: {replicas: 2}\nservices:\n${Array.from({ length: 40 }, (_, i) => `  s${i}:\n    <<: *defaults\n`).join('')}`;
    let deep = 'apiVersion: example.com/v1\nkind: Deep\nmetadata: {name: deep}\nspec: ';
    deep += `${'{a: '.repeat(200)}1${'}'.repeat(200)}\n`;
    const dir = writeTree(tempDir(), { 'stack.yml': anchors, 'deep.yaml': deep, [HEALTHY_NAME]: HEALTHY });
    const result = await lintIn(dir, ['.']);
    expect(result.findings.filter((f) => ['invalid-yaml', 'internal-error'].includes(f.ruleId))).toEqual([]);
    expect(result.input.resources.map((r) => r.file.path).sort()).toEqual(['deep.yaml', 'stack.yml', HEALTHY_NAME]);
    expectHealthyChecked(result.findings);
  });
});
