/**
 * Installing @a1/signer-aws on its own pulls in AWS's client and nothing from the other key
 * backends: the packed tarballs (as published) are installed into a temp project from the local
 * pnpm store, offline, and the resulting package set is inspected.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
const OTHER_BACKENDS = /google|grpc|azure|vault|pkcs11|@a1\+emulators|@a1\+signer-(gcp|vault|azure|pkcs11|testkit)/i;

let project: string | undefined;
afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe('install isolation', () => {
  it('the packed package installs with only @aws-sdk and its own dependencies, and loads as ESM and CJS', async () => {
    project = await mkdtemp(join(tmpdir(), 'a1-signer-aws-install-'));
    const tarballs: Record<string, string> = {};
    for (const [name, dir] of [['@a1/core', 'core'], ['@a1/signer-aws', 'signer-aws']] as const) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', project], { cwd: join(packagesDir, dir) });
      const tarball = stdout.trim().split('\n').pop()!.trim();
      expect(tarball, `pnpm pack of ${name} printed no tarball path`).toMatch(/\.tgz$/);
      tarballs[name] = `file:${tarball}`;
    }
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'isolation-check', private: true, dependencies: tarballs }));
    // Offline: everything must come from the local store; the test makes no network call.
    await run('pnpm', ['install', '--offline', '--ignore-scripts', '--ignore-workspace'], { cwd: project, timeout: 120_000 });

    const installed = await readdir(join(project, 'node_modules', '.pnpm'));
    expect(installed.some((entry) => entry.startsWith('@aws-sdk+client-kms@'))).toBe(true);
    expect(installed.filter((entry) => OTHER_BACKENDS.test(entry))).toEqual([]);

    const esm = await run(process.execPath, ['--input-type=module', '-e', "const m = await import('@a1/signer-aws'); console.log(typeof m.AwsKmsSigner)"], { cwd: project });
    expect(esm.stdout.trim()).toBe('function');
    const cjs = await run(process.execPath, ['-e', "console.log(typeof require('@a1/signer-aws').AwsKmsSigner)"], { cwd: project });
    expect(cjs.stdout.trim()).toBe('function');
  }, 180_000);
});
