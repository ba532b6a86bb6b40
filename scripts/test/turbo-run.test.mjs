// scripts/lib/turbo-run.mjs: the summary says WHY a package has no test report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taskOutputTail, uncountedFailures, whyNoReport, workspaceGraph } from '../lib/turbo-run.mjs';

const graph = workspaceGraph([
  { name: '@a1/core' },
  { name: '@a1/signer-aws', peerDependencies: { '@a1/core': 'workspace:0.x' }, devDependencies: { '@a1/emulators': 'workspace:*' } },
  { name: '@a1/emulators', dependencies: { '@a1/core': 'workspace:^', ws: '^8' } },
]);
const ran = (taskId, exitCode, error) => ({ taskId, execution: { exitCode, ...(error ? { error } : {}) } });
const output = [
  '\x1b[36m@a1/core:build: \x1b[0m> tsup',
  '@a1/core:build: src/x.ts(1,1): error TS2304: Cannot find name "y".',
  '@a1/core:build:     at failureErrorWithLog (/x/esbuild/lib/main.js:1467:15)',
  '@a1/signer-aws:test: Error: Cannot find module',
  '@a1/signer-aws:test:  ELIFECYCLE  Test failed.',
].join('\n');

test('a test task that failed before writing its report: its exit and its last lines', () => {
  const why = whyNoReport({ name: '@a1/signer-aws', workspaceDeps: graph, output, summary: { tasks: [ran('@a1/signer-aws#test', 1, 'command exited (1)')] } });
  assert.match(why, /its test task failed before writing test-results\.json \(command exited \(1\)\)/);
  assert.match(why, /Cannot find module/);
  assert.doesNotMatch(why, /TS2304/);
});

test('tests that never ran because a workspace dependency did not build name that build', () => {
  const why = whyNoReport({ name: '@a1/signer-aws', workspaceDeps: graph, output, summary: { tasks: [ran('@a1/core#build', 2)] } });
  assert.match(why, /the build of @a1\/core, which it needs, failed \(exit code 2\)/);
  assert.match(why, /TS2304/);
});

test("a package's own failed build", () => {
  const why = whyNoReport({ name: '@a1/core', workspaceDeps: graph, output, summary: { tasks: [ran('@a1/core#build', 2)] } });
  assert.match(why, /its build failed/);
});

test('no run summary at all, or a run stopped early, says so', () => {
  assert.match(whyNoReport({ name: '@a1/core', workspaceDeps: graph }), /turbo itself did not finish/);
  assert.match(whyNoReport({ name: '@a1/core', workspaceDeps: graph, summary: { tasks: [] } }), /stopped early/);
});

test('a passing test task without a report points at the reporter configuration', () => {
  assert.match(whyNoReport({ name: '@a1/core', workspaceDeps: graph, summary: { tasks: [ran('@a1/core#test', 0)] } }), /json reporter/);
});

test('output lines are picked by task prefix, colours removed', () => {
  assert.deepEqual(taskOutputTail(output, '@a1/core#build'), ['> tsup', 'src/x.ts(1,1): error TS2304: Cannot find name "y".']);
});

test('a failed task in a package without tests still counts; one a report already covers does not', () => {
  const summary = { tasks: [{ ...ran('@a1/docs#build', 1), package: '@a1/docs' }, { ...ran('@a1/core#test', 1), package: '@a1/core' }, { taskId: '@a1/x#build', package: '@a1/x' }] };
  assert.deepEqual(uncountedFailures(summary, new Set(['@a1/core'])).map((t) => t.taskId), ['@a1/docs#build']);
  assert.deepEqual(uncountedFailures(undefined, new Set()), []);
});
