// scripts/lib/run.mjs: a failing child's error names the command and shows BOTH its outputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, runSync } from '../lib/run.mjs';

const script = 'echo reason-on-stdout; echo reason-on-stderr >&2; exit 3';

test('run rejects with the exit code and the tails of stdout and stderr', async () => {
  await assert.rejects(run('sh', ['-c', script]), (error) => {
    assert.match(error.message, /^sh -c .* exit code 3/);
    assert.match(error.message, /stdout[^\n]*\nreason-on-stdout/);
    assert.match(error.message, /stderr[^\n]*\nreason-on-stderr/);
    return true;
  });
});

test('runSync throws the same description', () => {
  assert.throws(() => runSync('sh', ['-c', script]), /exit code 3[\s\S]*reason-on-stdout[\s\S]*reason-on-stderr/);
});

test('a deadline kills the child and says so', async () => {
  await assert.rejects(run('sh', ['-c', 'echo started; sleep 30'], { timeoutMs: 300 }), /timed out after 300 ms[\s\S]*started/);
});

test('a child that exits without reading its input is a failure, not an EPIPE crash', async () => {
  await assert.rejects(run('sh', ['-c', 'exit 4'], { input: 'x'.repeat(4 * 1024 * 1024) }), /exit code 4/);
});

test('a command that does not exist says it could not start', async () => {
  await assert.rejects(run('a1-no-such-command', []), /could not start/);
});

test('a successful child resolves with its output', async () => {
  assert.deepEqual(await run('cat', [], { input: 'hello' }), { stdout: 'hello', stderr: '' });
});
