/**
 * Where this package was installed from, so the missing-provider hint names a command that
 * helps: after `npm install -g @a1/cli`, a local `npm install @a1/signer-aws` changes nothing —
 * a global package resolves its peers from the global `node_modules`.
 */
import { realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type InstallLocation = 'npm-global' | 'pnpm-global' | 'yarn-global' | 'npx' | 'local';

export interface InstallFacts {
  /** The real path of the installed module (this package's own file). */
  modulePath: string;
  env: NodeJS.ProcessEnv;
  /** `process.execPath`: npm's default global prefix sits around the node binary. */
  execPath: string;
  platform: NodeJS.Platform;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** npm's global `node_modules`: `<prefix>/lib/node_modules` (`<prefix>/node_modules` on Windows). */
function npmGlobalRoots(facts: InstallFacts): string[] {
  const prefixes = new Set<string>();
  const configured = facts.env.npm_config_prefix ?? facts.env.NPM_CONFIG_PREFIX;
  if (configured) prefixes.add(configured);
  // npm's default prefix: the directory above bin/node (Unix), the node directory (Windows).
  prefixes.add(facts.platform === 'win32' ? dirname(facts.execPath) : dirname(dirname(facts.execPath)));
  return [...prefixes].map((p) => real(facts.platform === 'win32' ? join(p, 'node_modules') : join(p, 'lib', 'node_modules')));
}

export function installLocation(facts: InstallFacts): InstallLocation {
  const path = facts.modulePath.split(sep).join('/');
  if (path.includes('/_npx/')) return 'npx';
  if (/\/pnpm\/global\/\d+\/node_modules\//.test(path)) return 'pnpm-global';
  if (/\/yarn\/global\/node_modules\//.test(path)) return 'yarn-global';
  const inside = (root: string) => facts.modulePath.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
  if (npmGlobalRoots(facts).some(inside)) return 'npm-global';
  return 'local';
}

/** Where this package itself is installed (its peers, the providers, resolve from there). */
export function currentInstallLocation(env: NodeJS.ProcessEnv = process.env): InstallLocation {
  return installLocation({ modulePath: fileURLToPath(import.meta.url), env, execPath: process.execPath, platform: process.platform });
}

/** The command that makes the packages importable for an install at `location`. */
export function installCommand(packageNames: string | readonly string[], location: InstallLocation): string {
  const names = typeof packageNames === 'string' ? [packageNames] : packageNames;
  const packageName = names.join(' ');
  switch (location) {
    case 'npm-global':
      return `npm install -g ${packageName}`;
    case 'pnpm-global':
      return `pnpm add -g ${packageName}`;
    case 'yarn-global':
      return `yarn global add ${packageName}`;
    case 'npx':
      return `npx -p @a1/cli ${names.map((n) => `-p ${n}`).join(' ')} a1 … (npx runs a throwaway install; name every package it needs)`;
    case 'local':
      return `npm install ${packageName}`;
  }
}
