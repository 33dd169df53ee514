import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseExpectations, type Expected } from '../../src/tools/expectations.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures');

/** One expected finding, declared by a marker under the reported line (src/tools/expectations.ts). */
export interface Expectation extends Expected {
  /** The fixture file, relative to the repository. */
  file: string;
}

export interface FixtureCase {
  /** The rule folder: test/fixtures/<rule-id>/ */
  rule: string;
  intent: 'should-fire' | 'dont-fire';
  name: string;
  /** A file, or a directory whose files form one run (cross-resource cases). */
  target: string;
  expectations: Expectation[];
}

function filesUnder(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((e) => filesUnder(path.join(p, e)));
}

export function expectationsIn(target: string): Expectation[] {
  return filesUnder(target).flatMap((file) =>
    parseExpectations(readFileSync(file, 'utf8')).map((e) => ({
      ...e,
      file: path.relative(ROOT, file).split(path.sep).join('/'),
    })),
  );
}

/** Every fixture case under test/fixtures/<rule>/{should-fire,dont-fire}/. */
export function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    for (const intent of ['should-fire', 'dont-fire'] as const) {
      const dir = path.join(FIXTURES, rule, intent);
      let entries: string[];
      try {
        entries = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const name of entries) {
        if (name.startsWith('_')) continue; // helper files (env files, CRDs…) referenced by a case
        const target = path.join(dir, name);
        cases.push({ rule, intent, name, target, expectations: expectationsIn(target) });
      }
    }
  }
  return cases;
}
