import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Rejects with the child's stdout and stderr when it fails.
import { run } from '../../../scripts/lib/run.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README example', () => {
  it('examples/issue-with-emulator.mjs issues and verifies a cert', async () => {
    // The example imports the built package, as a user would; turbo builds before testing.
    expect(existsSync(new URL('../dist/index.js', import.meta.url)), 'run `pnpm build` first').toBe(true);
    const { stdout, stderr } = await run(process.execPath, ['examples/issue-with-emulator.mjs'], { cwd: packageDir, timeoutMs: 75_000 });
    expect(stdout, stderr).toMatch(/^cert verified, signed by transit\/keys\/a1-root version 1$/m);
  }, 90_000); // past the child's own deadline, so its output is what fails
});
