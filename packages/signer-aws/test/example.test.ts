/**
 * The README's runnable example, run as a user would: node on the built packages. Fails (not
 * skips) when a package is unbuilt, naming the build command.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Rejects with the child's stdout and stderr when it fails.
import { run } from '../../../scripts/lib/run.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README example', () => {
  it('issues a cert through the emulator and verifies it offline', async () => {
    for (const pkg of ['core', 'emulators', 'signer-aws']) {
      const dist = fileURLToPath(new URL(`../../${pkg}/dist/index.js`, import.meta.url));
      expect(existsSync(dist), `run "pnpm --filter @a1/${pkg} build" first (${dist} is missing)`).toBe(true);
    }
    const { stdout, stderr } = await run(process.execPath, ['examples/issue-with-emulator.mjs'], { cwd: packageDir, timeoutMs: 75_000 });
    expect(stdout, stderr).toMatch(/cert verified, signed by arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}/);
    expect(stdout, stderr).toContain('emulator calls: {"GetPublicKey":1,"Sign":1}');
    // Nothing but the result: the SDK's Node-version notice is opted out of in the example.
    expect(stderr).toBe('');
  }, 90_000); // past the child's own deadline, so its output is what fails
});
