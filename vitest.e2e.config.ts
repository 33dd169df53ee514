import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the tests that need more than Node and the repository — pre-commit, kubectl, the ArgoCD plugin,
 * cluster mode against a fake API server on loopback, the Action bundle as a process, the SARIF Multitool, the npm
 * package, and the corpus-wide checks that read ../shared. A missing tool fails its test file with the install command
 * (test/e2e/require.ts): nothing skips.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // A worker per core (vitest's default is one on two cores): these tests mostly wait on other processes.
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
    hookTimeout: 600_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-e2e-results.json' },
  },
});
