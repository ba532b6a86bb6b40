// The README's example is examples/resolve.mjs, verbatim, and runs from the package folder as it says.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('README example', () => {
  it('is examples/resolve.mjs and prints what it promises', async () => {
    const example = readFileSync(join(PACKAGE_DIR, 'examples', 'resolve.mjs'), 'utf8');
    expect(readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8')).toContain(example.trimEnd());
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) =>
      execFile(process.execPath, ['examples/resolve.mjs'], { cwd: PACKAGE_DIR, env: { PATH: process.env.PATH }, timeout: 60_000 }, (error, out, err) =>
        error ? fail(new Error(`${error.message}\nstdout: ${out}\nstderr: ${err}`)) : done({ stdout: out, stderr: err }),
      ),
    );
    expect(stderr).toBe('');
    expect(stdout).toMatch(/file:root\.key\s+public key [0-9a-f]{64}/);
    expect(stdout).toContain('needs @a1/signer-aws');
    expect(stdout).toContain('hashivault without VAULT_ADDR → Misconfigured');
  });
});
