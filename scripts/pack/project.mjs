/**
 * A fresh npm project in a temp dir with some tarballs installed, the way a user would:
 * `npm install ./a1-signer-x.tgz ./a1-core.tgz`. npm's cache is reused (--prefer-offline).
 */
import { mkdirSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../lib/run.mjs';

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--no-update-notifier'];

export async function createProject(dir, tarballs, { extra = [] } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'a1-pack-test-project', version: '0.0.0', private: true }, null, 2));
  // pkcs11js builds its native addon against the headers Node ships in /usr (no download).
  writeFileSync(join(dir, '.npmrc'), 'nodedir=/usr\n');
  await run('npm', ['install', ...NPM_FLAGS, ...tarballs, ...extra], { cwd: dir, timeoutMs: 300_000 });
  return dir;
}

/** Every package name installed anywhere under `dir/node_modules` (nested copies included). */
export function installedPackages(dir) {
  const names = new Set();
  const walk = (nodeModules) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@')) {
        for (const scoped of readdirSync(join(nodeModules, entry.name), { withFileTypes: true })) {
          names.add(`${entry.name}/${scoped.name}`);
          walk(join(nodeModules, entry.name, scoped.name, 'node_modules'));
        }
      } else {
        names.add(entry.name);
        walk(join(nodeModules, entry.name, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return names;
}

/** Each vendor's SDK, recognised by package-name prefix. */
export const VENDOR_SDKS = {
  aws: ['@aws-sdk/'],
  gcp: ['@google-cloud/', 'google-gax'],
  vault: ['node-vault'],
  azure: ['@azure/'],
  pkcs11: ['pkcs11js'],
};

/** Names in `installed` that belong to a vendor other than `own` (or to any vendor when own is null). */
export function foreignSdks(installed, own) {
  const foreign = [];
  for (const [vendor, prefixes] of Object.entries(VENDOR_SDKS)) {
    if (vendor === own) continue;
    for (const name of installed) if (prefixes.some((p) => (p.endsWith('/') ? name.startsWith(p) : name === p))) foreign.push(name);
  }
  return foreign.sort();
}

export function hasSdk(installed, vendor) {
  return [...installed].some((name) => VENDOR_SDKS[vendor].some((p) => (p.endsWith('/') ? name.startsWith(p) : name === p)));
}
