// A provider package that is not installed: the error names the package and the install command
// that helps where this package really is — a project's node_modules, or npm's global one. Both
// layouts are built for real (the built package copied in, @a1/core linked) and run in a child node.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORE_DIR = resolve(PACKAGE_DIR, '..', 'core');
const root = mkdtempSync(join(tmpdir(), 'a1-signer-uri-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `node_modules` holding only this package (copied, so it resolves peers from there) and @a1/core. */
function install(nodeModules: string): string {
  const target = join(nodeModules, '@a1', 'signer-uri');
  mkdirSync(dirname(target), { recursive: true });
  for (const part of ['dist', 'package.json']) cpSync(join(PACKAGE_DIR, part), join(target, part), { recursive: true });
  symlinkSync(CORE_DIR, join(nodeModules, '@a1', 'core'), 'dir');
  return target;
}

/** Runs signerFromUri(uri) in a child process from `dir`; resolves to the error it threw, as JSON. */
function tryUri(dir: string, uri: string, env: NodeJS.ProcessEnv, format: 'esm' | 'cjs'): Promise<{ name: string; code: string; message: string; hint: string }> {
  const script = format === 'esm'
    ? `import { signerFromUri } from '@a1/signer-uri';\nsignerFromUri(process.argv[2]).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message, hint: e.hint })));\n`
    : `const { signerFromUri } = require('@a1/signer-uri');\nsignerFromUri(process.argv[2]).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message, hint: e.hint })));\n`;
  const file = join(dir, format === 'esm' ? 'try.mjs' : 'try.cjs');
  writeFileSync(file, script);
  return new Promise((done, fail) => {
    execFile(process.execPath, [file, uri], { cwd: dir, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return fail(new Error(`child failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
      try {
        done(JSON.parse(stdout));
      } catch {
        fail(new Error(`child printed no JSON\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
}

const URIS: Array<[string, string]> = [
  ['awskms:///alias/a1-root?region=us-east-1', '@a1/signer-aws'],
  ['gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1', '@a1/signer-gcp'],
  ['hashivault://a1-root', '@a1/signer-vault'],
  ['azurekms://acme.vault.azure.net/a1-root', '@a1/signer-azure'],
  ['pkcs11:token=a1;object=root?module-path=/x.so&pin-source=env:PIN', '@a1/signer-pkcs11'],
];

describe('in a project: npm install PKG', () => {
  const project = join(root, 'project');
  install(join(project, 'node_modules'));
  it.each(URIS)('%s → npm install %s', async (uri, pkg) => {
    for (const format of ['esm', 'cjs'] as const) {
      const error = await tryUri(project, uri, {}, format);
      expect(error).toMatchObject({ name: 'SignerUriError', code: 'ProviderMissing' });
      expect(error.message).toContain(pkg);
      expect(error.hint).toContain(`npm install ${pkg}`);
      expect(error.hint).not.toContain('install -g');
    }
  });
});

describe('in npm\'s global node_modules: npm install -g PKG', () => {
  const prefix = join(root, 'global-prefix');
  const globalModules = join(prefix, 'lib', 'node_modules');
  install(globalModules);
  it.each(URIS)('%s → npm install -g %s', async (uri, pkg) => {
    for (const format of ['esm', 'cjs'] as const) {
      const error = await tryUri(globalModules, uri, { npm_config_prefix: prefix }, format);
      expect(error).toMatchObject({ name: 'SignerUriError', code: 'ProviderMissing' });
      expect(error.hint).toContain(`npm install -g ${pkg}`);
    }
  });
});
