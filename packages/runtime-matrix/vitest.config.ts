import { defineConfig } from 'vitest/config';

// The JSON report feeds the repo-wide "N passed, N failed" line (scripts/sum-test-results.mjs).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    // Bundles core's current tests before every run (turbo's build cache does not see core's test/).
    globalSetup: ['test/build-bundles.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 20 * 60_000,
  },
});
