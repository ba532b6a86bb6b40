import { defineConfig } from 'vitest/config';

// The JSON report feeds the repo-wide "N passed, N failed" line (scripts/sum-test-results.mjs).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
