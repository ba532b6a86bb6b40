#!/usr/bin/env node
// The closing table of `pnpm bench`: every target every bench declared (from the JSON lines
// scripts/bench/report.mjs wrote to .reports/bench/), measured vs goal, met / not met; and every
// package with a bench script that wrote nothing (it failed or does not use the report).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatGoal, formatTable, formatValue, latestRecords } from './report.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, '.reports', 'bench');
const all = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)))
  : [];
const records = latestRecords(all);
const reported = new Set(records.map((r) => r.package));
const silent = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name, 'package.json'))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')))
  .filter((pkg) => pkg.scripts?.bench && !reported.has(pkg.name))
  .map((pkg) => pkg.name)
  .sort();

const rows = records
  .sort((a, b) => a.package.localeCompare(b.package))
  .flatMap((r) => r.targets.map((t) => [r.package, t.what, `${formatValue(t.measured)}${t.unit ?? ''}`, formatGoal(t), t.met ? 'met' : 'not met']));
const met = rows.filter((row) => row[4] === 'met').length;
console.log('== pnpm bench · every target ==');
console.log(formatTable(['package', 'target', 'measured', 'goal', 'result'], rows));
for (const name of silent) console.log(`${name}: its bench wrote no report (it failed: see its output above)`);
console.log(`\n${rows.length} targets: ${met} met, ${rows.length - met} not met; ${records.length} benches reported${silent.length ? `, ${silent.length} did not` : ''}`);
process.exit(silent.length > 0 ? 1 : 0);
