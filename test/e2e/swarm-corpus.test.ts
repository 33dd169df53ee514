import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { workloadsOf } from '../../src/model/workloads-of.js';
import { requireShared } from './require.js';

const SHARED = requireShared();
const CORPUS = path.resolve(SHARED, 'corpus/swarm');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = path.join(dir, e);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

describe('stack and Compose files of public repositories (../shared/corpus/swarm)', () => {
  it('are all read and checked without a crash or an internal error', async () => {
    expect(existsSync(CORPUS), `${CORPUS} must exist (CI has ../shared beside the clone)`).toBe(true);
    const yaml = files(CORPUS)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort();
    expect(yaml.length).toBeGreaterThan(150);
    const result = await lint({ paths: [path.relative(SHARED, CORPUS)], cwd: SHARED });
    // Every file is read (none skipped with a warning), and every stack in it yields its services.
    expect(result.input.files.map((f) => f.file.absPath).sort()).toEqual(yaml);
    const stacks = result.input.resources.filter((r) => r.kind === 'Stack');
    expect(stacks.length).toBeGreaterThan(150);
    for (const s of stacks)
      expect(workloadsOf(s).length, s.file.path).toBe(
        Object.values(s.value.services as object).filter((x) => x !== null && typeof x === 'object').length,
      );
    expect(
      result.findings
        .filter((f) => f.ruleId === 'internal-error')
        .map((f) => `${f.file}:${f.range.startLine} ${f.message}`),
    ).toEqual([]);
    for (const f of result.findings) {
      expect(f.range.startLine).toBeGreaterThanOrEqual(1);
      expect(f.range.startColumn).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);
});
