import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/rules/index.js';
import { ROOT } from './helpers/fixtures.js';

/**
 * One id, one file: every rule of the registry lives in src/rules/<family>/<rule-id>.ts as that file's default
 * export, and every file directly under src/rules/<family>/ is a rule. Helpers live in src/rules/<family>/lib/ or
 * src/model/.
 */
function isRule(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'id' in v && 'meta' in v && 'target' in v;
}

const RULES_DIR = path.join(ROOT, 'src/rules');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(RULES_DIR, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const all = tsFiles(RULES_DIR);
const families = readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
/** src/rules/<family>/<name>.ts: the files that must be rules. */
const ruleFiles = all.filter((f) => /^[^/]+\/[^/]+\.ts$/.test(f));

describe('one rule id, one file', () => {
  it.each(rules.map((r) => [r.id, r] as const))('%s has its own file, named after it', async (id, rule) => {
    const named = all.filter((f) => path.posix.basename(f) === `${id}.ts`);
    expect(named).toEqual([`${rule.meta.family}/${id}.ts`]);
    const mod = (await import(pathToFileURL(path.join(RULES_DIR, named[0]!)).href)) as Record<string, unknown>;
    expect(mod.default).toBe(rule);
    // No second rule hides beside it (exported helpers of its own may stay until they are shared: then lib/).
    const others = Object.entries(mod).filter(([k, v]) => k !== 'default' && isRule(v));
    expect(others.map(([k]) => k)).toEqual([]);
  });

  it('every file under src/rules/<family>/ is a rule of the registry', () => {
    const ids = new Set(rules.map((r) => `${r.meta.family}/${r.id}.ts`));
    expect(ruleFiles.filter((f) => !ids.has(f))).toEqual([]);
    expect(ruleFiles).toHaveLength(rules.length);
  });

  it('helpers sit in <family>/lib/, and nowhere else below src/rules', () => {
    const others = all.filter((f) => f !== 'index.ts' && !ruleFiles.includes(f));
    expect(others.filter((f) => !families.some((fam) => f.startsWith(`${fam}/lib/`)))).toEqual([]);
  });
});
