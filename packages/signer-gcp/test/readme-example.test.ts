/** The README's example is the file in examples/, and it runs (against the built package). */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = readFileSync(`${root}examples/emulator.mjs`, 'utf8');

describe('README example', () => {
  it('quotes examples/emulator.mjs verbatim', () => {
    expect(readFileSync(`${root}README.md`, 'utf8')).toContain(example);
  });

  it('issues and verifies a passport through the emulator', async () => {
    // The example imports the package by name, which resolves to dist/: the test task builds first.
    expect(existsSync(`${root}dist/index.js`), 'run `pnpm --filter @a1/signer-gcp build` first').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, ['examples/emulator.mjs'], { cwd: root, timeout: 20_000 });
    expect(stdout).toContain('verified offline for namespace acme');
    expect(stdout).toContain('GetPublicKey: 1, AsymmetricSign: 2');
  });
});
