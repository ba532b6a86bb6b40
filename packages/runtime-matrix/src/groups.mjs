// The check groups every runtime reports, in order: each of core's vector test files
// (packages/core/test/vectors-*.test.ts, run unchanged; a new one joins by itself) and the
// matrix's own checks (src/bundle/<name>.checks.ts). One vitest test per runtime and group joins
// the repo-wide summary.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const coreTests = fileURLToPath(new URL('../../core/test/', import.meta.url));
const bundleDir = fileURLToPath(new URL('./bundle/', import.meta.url));
const MATRIX_CHECKS = ['ed25519-crafted', 'passport-round-trip'];

/** [{ name, file }] for every group, core's vector files first. */
export function checkGroups() {
  const core = readdirSync(coreTests)
    .filter((f) => /^vectors-.+\.test\.ts$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.test\.ts$/, ''), file: `${coreTests}${f}` }));
  return [...core, ...MATRIX_CHECKS.map((name) => ({ name, file: `${bundleDir}${name}.checks.ts` }))];
}
