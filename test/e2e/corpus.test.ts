import { existsSync } from 'node:fs';
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
});
