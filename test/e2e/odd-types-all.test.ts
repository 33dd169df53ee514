import { describe, it } from 'vitest';
import { oddFieldSweep } from '../robustness/odd-sweep.js';
import { SEEDS } from '../robustness/seeds.js';

// The full sweep of test/robustness/odd-types.test.ts (which takes every third value per field): every field of every
// seed, replaced by every odd value. Node alone, but ~15 s of CPU: too much for the one-minute tier.
describe('values of unexpected types where rules look, exhaustively', () => {
  it.each(Object.keys(SEEDS).map((s) => [s] as const))(
    'every field of the %s seed, each odd value',
    async (seed) => oddFieldSweep(seed as keyof typeof SEEDS, 1),
    300_000,
  );
});
