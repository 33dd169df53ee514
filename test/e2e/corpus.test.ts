import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { requireShared } from './require.js';

const SHARED = requireShared();
const CORPUS = path.join(SHARED, 'corpus');

describe('real public manifests (../shared/corpus)', () => {
  it('are all read and checked without a crash or an internal error', async () => {
    const result = await lint({ paths: [CORPUS], cwd: SHARED });
    expect(result.files).toBeGreaterThan(1500);
    expect(result.resources).toBeGreaterThan(2500);
    const internal = result.findings.filter((f) => f.ruleId === 'internal-error');
    expect(internal.map((f) => `${f.file}:${f.range.startLine} ${f.message}`)).toEqual([]);
    for (const f of result.findings) {
      expect(f.range.startLine).toBeGreaterThanOrEqual(1);
      expect(f.range.startColumn).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);

  it('the UTF-16 stack file of the corpus is read (it was silently skipped before)', async () => {
    const file = 'corpus/swarm/sixeyed__diamol/ch14/exercises/numbers/prod-full.yml';
    const bytes = readFileSync(path.join(SHARED, file));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const { findings } = await lint({ paths: [file], cwd: SHARED });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.resource?.kind === 'Stack')).toBe(true);
  });
});
