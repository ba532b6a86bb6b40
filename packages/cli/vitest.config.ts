import { defineConfig } from 'vitest/config';

// The JSON report feeds the repo-wide "N passed, N failed" line (scripts/sum-test-results.mjs).
export default defineConfig({
  // Tests import src/: the backend commands are loaded as in dist/bin.js (see src/commands/registry.ts).
  define: { A1_OFFLINE_BUNDLE: 'false' },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
