import { defineConfig } from 'vitest/config';

// Generous limits: the conformance suite runs 100 concurrent signs over real sockets, and CI
// machines are shared. Nothing here is a timing assertion.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
