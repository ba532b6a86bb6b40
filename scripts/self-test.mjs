#!/usr/bin/env node
// The tests of the repository's own scripts (scripts/test/*.test.mjs, Node's test runner), ending
// with the "N passed, N failed" line scripts/sum-test-results.mjs reads from .reports/.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'test');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(dir, f));
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const count = (word) => Number(new RegExp(`^\\S+ ${word} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  const failed = count('fail') + count('cancelled') + (code !== 0 && count('fail') === 0 ? 1 : 0);
  console.log(`${count('pass')} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
});
