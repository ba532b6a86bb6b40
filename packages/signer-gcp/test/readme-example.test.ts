/** The README's example is the file in examples/, and it runs (against the built package). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Rejects with the child's stdout and stderr when it fails.
import { run } from '../../../scripts/lib/run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = readFileSync(`${root}examples/emulator.mjs`, 'utf8');

describe('README example', () => {
  it('quotes examples/emulator.mjs verbatim', () => {
    expect(readFileSync(`${root}README.md`, 'utf8')).toContain(example);
  });

  it('issues and verifies a passport through the emulator', async () => {
    // The example imports the package by name, which resolves to dist/: the test task builds first.
    expect(existsSync(`${root}dist/index.js`), 'run `pnpm --filter @a1/signer-gcp build` first').toBe(true);
    const { stdout, stderr } = await run(process.execPath, ['examples/emulator.mjs'], { cwd: root, timeoutMs: 75_000 });
    expect(stdout, stderr).toContain('verified offline for namespace acme');
    expect(stdout, stderr).toContain('GetPublicKey: 1, AsymmetricSign: 2');
  }, 90_000); // past the child's own deadline, so its output is what fails
});
