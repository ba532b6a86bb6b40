#!/usr/bin/env node
// `pnpm a1 …` and `pnpm emulators …` in a checkout (nothing is on npm yet): runs the package's own
// bin from its build, in this process, or says how to build it first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BINS = {
  a1: { pkg: 'cli', bin: 'bin/a1.js', filter: '@a1/cli...' },
  emulators: { pkg: 'emulators', bin: 'bin/a1-emulators.js', filter: '@a1/emulators...' },
};
const root = fileURLToPath(new URL('..', import.meta.url));
const [name, ...args] = process.argv.slice(2);
const target = BINS[name];
if (!target) {
  console.error(`scripts/bin.mjs: unknown command "${name ?? ''}"; one of: ${Object.keys(BINS).join(', ')}`);
  process.exit(2);
}
const dir = join(root, 'packages', target.pkg);
if (!existsSync(join(dir, 'dist'))) {
  console.error(`packages/${target.pkg} is not built yet: run \`pnpm build\` (or \`pnpm turbo run build --filter=${target.filter}\`) first`);
  process.exit(2);
}
// The bin reads process.argv.slice(2): make it see exactly the user's arguments.
process.argv = [process.argv[0], join(dir, target.bin), ...args];
await import(pathToFileURL(join(dir, target.bin)).href);
