// scripts/bench/report.mjs: one format for every bench, and targets judged the same way everywhere.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { benchReport, formatTable, formatValue, isMet, latestRecords } from '../bench/report.mjs';

test('numbers: integers grouped, small fractions to 2 decimals, large ones rounded', () => {
  assert.equal(formatValue(21345), '21,345');
  assert.equal(formatValue(1.2345), '1.23');
  assert.equal(formatValue(123.6), '124');
  assert.equal(formatValue('text'), 'text');
});

test('tables: text columns left-aligned, numeric columns right-aligned', () => {
  assert.equal(
    formatTable(['run', 'wall ms', 'calls'], [['sequential', 1234, 'Sign 2'], ['concurrency 16', 12.5, 'Sign 20']]),
    ['run             wall ms  calls', 'sequential        1,234  Sign 2', 'concurrency 16    12.50  Sign 20'].join('\n'),
  );
});

test('targets: >= and <= judged exactly at the goal; anything else is refused', () => {
  assert.equal(isMet({ measured: 10, op: '>=', goal: 10 }), true);
  assert.equal(isMet({ measured: 9.99, op: '>=', goal: 10 }), false);
  assert.equal(isMet({ measured: 1.3, op: '<=', goal: 1.3 }), true);
  assert.equal(isMet({ measured: 1.31, op: '<=', goal: 1.3 }), false);
  assert.throws(() => isMet({ measured: 1, op: '>', goal: 1 }), /op must be/);
});

const dir = mkdtempSync(join(tmpdir(), 'a1-bench-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a bench prints heading, context, tables and targets, and appends one JSON line', () => {
  const lines = [];
  const report = benchReport('@a1/example', 'issue certs', { out: (text) => lines.push(text), reportsDir: dir });
  report.context({ certs: 1000 });
  report.table('runs', ['run', 'wall ms'], [['sequential', 2000], ['concurrency 16', 150]]);
  report.target('speed-up', { measured: 2000 / 150, op: '>=', goal: 10, unit: 'x' });
  report.target('CPU per cert', { measured: 0.8, op: '<=', goal: 0.5, unit: ' ms' });
  assert.throws(() => report.target('broken', { measured: Number.NaN, op: '>=', goal: 1 }), /must be a number/);
  report.done();
  const text = lines.join('\n');
  assert.match(text, /^== @a1\/example · issue certs ==\nnode v\d+.* · certs 1,000$/m);
  assert.match(text, /speed-up\s+13\.33x\s+≥ 10x\s+met/);
  assert.match(text, /CPU per cert\s+0\.80 ms\s+≤ 0\.50 ms\s+not met/);
  const [record] = readFileSync(join(dir, 'a1-example.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(record.package, '@a1/example');
  assert.deepEqual(record.targets.map((t) => t.met), [true, false]);
  assert.deepEqual(record.tables[0].rows, [['sequential', 2000], ['concurrency 16', 150]]);
});

test('a bench run twice counts once, its latest run; two benches of one package both count', () => {
  const r = (bench, at) => ({ package: '@a1/x', bench, at, targets: [] });
  assert.deepEqual(latestRecords([r('a', 1), r('b', 2), r('a', 3)]).map((x) => [x.bench, x.at]), [['a', 3], ['b', 2]]);
});
