/**
 * The README's runnable example, run as a user would: node on the built packages. Fails (not
 * skips) when a package is unbuilt, naming the build command.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README example', () => {
  it('issues a cert through the emulator and verifies it offline', async () => {
    for (const pkg of ['core', 'emulators', 'signer-aws']) {
      const dist = fileURLToPath(new URL(`../../${pkg}/dist/index.js`, import.meta.url));
      expect(existsSync(dist), `run "pnpm --filter @a1/${pkg} build" first (${dist} is missing)`).toBe(true);
    }
    const { stdout } = await run(process.execPath, ['examples/issue-with-emulator.mjs'], { cwd: packageDir, timeout: 30_000 });
    expect(stdout).toMatch(/cert verified, signed by arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}/);
    expect(stdout).toContain('emulator calls: {"GetPublicKey":1,"Sign":1}');
  });
});
