import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures');
export const SHARED = path.resolve(ROOT, '../shared');

/**
 * One expected finding, declared in a fixture as `# expect: <rule-id> <line>:<col>[-<endLine>:<endCol>] [severity]
 * [messageId]`.
 */
export interface Expectation {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  end?: { line: number; column: number };
  severity?: string;
  messageId?: string;
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

const EXPECT_RE =
  /#\s*expect:\s*([a-z0-9-]+)\s+(\d+):(\d+)(?:-(\d+):(\d+))?(?:[ \t]+(error|warning|note)\b)?(?:[ \t]+([a-z][A-Za-z]*)\b)?/g;

function filesUnder(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((e) => filesUnder(path.join(p, e)));
}

export function expectationsIn(target: string): Expectation[] {
  const out: Expectation[] = [];
  for (const file of filesUnder(target)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(EXPECT_RE)) {
      out.push({
        ruleId: m[1]!,
        file: path.relative(ROOT, file).split(path.sep).join('/'),
        line: Number(m[2]),
        column: Number(m[3]),
        ...(m[4] ? { end: { line: Number(m[4]), column: Number(m[5]) } } : {}),
        ...(m[6] ? { severity: m[6] } : {}),
        ...(m[7] ? { messageId: m[7] } : {}),
      });
    }
  }
  return out;
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
