import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

/** How the test suite itself is kept: the habits that keep `npm test` fast, hermetic and each case run once. */
const TEST = path.join(ROOT, 'test');
const files = (readdirSync(TEST, { recursive: true }) as string[])
  .map((f) => f.split(path.sep).join('/'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('fixtures/'))
  .sort();
const text = new Map(files.map((f) => [f, readFileSync(path.join(TEST, f), 'utf8')]));
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
const importsOf = (f: string): string[] => [...text.get(f)!.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
const outsideE2e = files.filter((f) => !f.startsWith('e2e/') && f !== 'test-structure.test.ts');

describe('the test suite', () => {
  it('finds the test files', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files).toContain('cli.test.ts');
  });

  it('no test file imports another test file (its tests would run twice)', () => {
    const bad = files.flatMap((f) =>
      importsOf(f)
        .filter((i) => /\.test(\.[jt]s)?$/.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('npm test needs only Node and the repository: ../shared and the e2e tools are for test/e2e/ only', () => {
    const bad = outsideE2e.filter(
      (f) =>
        importsOf(f).some((i) => i.includes('/e2e/') || i.startsWith('./e2e')) ||
        /shared\/corpus|\bSHARED\b|require(Shared|Tool)\(/.test(text.get(f)!),
    );
    expect(bad).toEqual([]);
  });

  it('one way to run the CLI (helpers/run-cli.ts) and one way to make a temporary directory (helpers/temp.ts)', () => {
    const runners = files.filter((f) => /function run(Cli|Shipshape)\b/.test(text.get(f)!));
    expect(runners).toEqual(['helpers/run-cli.ts']);
    const mkdtemp = files.filter((f) => /mkdtempSync\(/.test(text.get(f)!));
    expect(mkdtemp).toEqual(['helpers/global-setup.ts', 'helpers/temp.ts']);
  });
});
