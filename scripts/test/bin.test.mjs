// `pnpm a1 …` / `pnpm emulators …` from a checkout (scripts/bin.mjs): the user's arguments reach
// the package's bin unchanged; an unknown name says what exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../lib/run.mjs';

const bin = fileURLToPath(new URL('../bin.mjs', import.meta.url));

test('a1: the arguments are the bin\'s own (keygen --help, not bin.mjs a1 keygen --help)', async () => {
  const { stdout } = await run(process.execPath, [bin, 'a1', 'keygen', '--help']);
  assert.match(stdout, /^a1 keygen — /m);
});

test('emulators: the emulators bin answers its usage', async () => {
  await assert.rejects(run(process.execPath, [bin, 'emulators', 'no-such-backend']), /usage: a1-emulators/);
});

test('an unknown name exits 2 listing the names', async () => {
  await assert.rejects(run(process.execPath, [bin, 'nope']), /exit code 2[\s\S]*one of: a1, emulators/);
});
