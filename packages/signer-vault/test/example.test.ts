import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README example', () => {
  it('examples/issue-with-emulator.mjs issues and verifies a cert', async () => {
    // The example imports the built package, as a user would; turbo builds before testing.
    expect(existsSync(new URL('../dist/index.js', import.meta.url)), 'run `pnpm build` first').toBe(true);
    const { stdout } = await run(process.execPath, ['examples/issue-with-emulator.mjs'], { cwd: packageDir, timeout: 30_000 });
    expect(stdout).toMatch(/^cert verified, signed by transit\/keys\/a1-root version 1$/m);
  });
});
