import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * `npm test`: everything that needs only Node and the repository (no pre-commit, kubectl, ../shared or network).
 * The tests that need more are in test/e2e/, run by `npm run test:e2e` (vitest.e2e.config.ts).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // Worker threads, the test modules evaluated once per worker (no file may leave state behind for the next: the
    // fixtures are read-only and temporary directories go after each file), and a worker per core: the tests wait on
    // CLI processes much of the time, which vitest's default of one worker on two cores leaves idle. ~20% less CPU
    // than isolated forks, and about half the wall time on an idle 2-core machine.
    pool: 'threads',
    isolate: false,
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // The JSON results let .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
