import { expect } from 'vitest';
import { stringify } from 'yaml';
import { expectNoInternalError, lintIn, regionProblems, tempDir, writeTree } from './helpers.js';
import { SEEDS } from './seeds.js';

type P = (string | number)[];

export function setAt(root: unknown, path: P, value: unknown): Record<string, unknown> {
  const copy = structuredClone(root) as Record<string, unknown>;
  let cur: unknown = copy;
  for (const seg of path.slice(0, -1)) cur = (cur as Record<string | number, unknown>)[seg];
  (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
  return copy;
}

/** Every path of a value (map keys and list indexes), parents before children. */
export function pathsOf(v: unknown, base: P = [], out: P[] = []): P[] {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([...base, i]);
      pathsOf(x, [...base, i], out);
    });
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push([...base, k]);
      pathsOf(x, [...base, k], out);
    }
  return out;
}

export const ODD: unknown[] = [
  null,
  '3',
  -1,
  0,
  1e300,
  true,
  {},
  [],
  [null],
  { '': {} },
  '',
  'x'.repeat(2000),
  [[1]],
  '{{ .Values.x }}',
];

/**
 * Every field of a seed replaced by odd values: one run per value, its variants as the documents of one file. `every`
 * 1 gives every field every value; n gives field i the values j with (i + j) % n === 0, each field and each value
 * still covered.
 */
export async function oddFieldSweep(seed: keyof typeof SEEDS, every: number): Promise<void> {
  const paths = pathsOf(SEEDS[seed]);
  const dir = tempDir();
  for (const [i, value] of ODD.entries()) {
    const chosen = paths.filter((_, p) => (p + i) % every === 0);
    if (!chosen.length) continue;
    const text = chosen.map((p) => stringify(setAt(SEEDS[seed], p, value))).join('---\n');
    writeTree(dir, { [`v${i}.yaml`]: text, 'api.env': 'API_KEY=seed-env-file\n' });
    const result = await lintIn(dir, [`v${i}.yaml`]);
    expectNoInternalError(result.findings);
    expect(
      regionProblems(
        result.findings.filter((f) => f.file === `v${i}.yaml`),
        () => text,
      ),
    ).toEqual([]);
  }
}
