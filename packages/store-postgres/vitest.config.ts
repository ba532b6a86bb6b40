import { defineConfig } from 'vitest/config';

// The JSON report feeds the repo-wide "N passed, N failed" line (scripts/sum-test-results.mjs).
// Generous timeouts: each file starts its own PostgreSQL cluster (initdb takes seconds on a busy
// machine), and the suites are about behaviour, not speed.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
