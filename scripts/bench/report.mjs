/**
 * The one output format of every `pnpm bench` script: a heading, one context line, plain aligned
 * tables, the targets with met / not met, and a JSON line per bench in .reports/bench/ that
 * scripts/bench/summary.mjs turns into the closing table of every target.
 *
 *   import { benchReport } from '../../../scripts/bench/report.mjs';   // benches are not published
 *   const report = benchReport('@a1/signer-aws', 'issue certs through AwsKmsSigner');
 *   report.context({ certs: 1000, 'latency ms': 20 });                 // node, CPUs, load added
 *   report.table('runs', ['run', 'wall ms', 'certs/s'], [['sequential', 21345, 47], ...]);
 *   report.target('speed-up, concurrency 16 vs sequential', { measured: 11.9, op: '>=', goal: 10, unit: 'x' });
 *   report.done();                                                      // prints targets, writes the JSON line
 *
 * A target is reported, never enforced by the exit code: timings move on a shared machine. A bench
 * exits non-zero only when its result is wrong (a cert that does not verify, a wrong call count).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPORTS = fileURLToPath(new URL('../../.reports/bench/', import.meta.url));

/** Formats a cell: integers with thousands separators, other numbers with 2 significant decimals. */
export function formatValue(value) {
  if (typeof value !== 'number') return String(value ?? '');
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

const NUMERIC = /^[≥≤]?\s?-?[\d.,]+\s?[a-zµ/%]*$/i;

/** A plain table, two spaces between columns: numeric columns right-aligned, text left-aligned. */
export function formatTable(columns, rows) {
  const body = rows.map((row) => row.map(formatValue));
  const cells = [columns.map(String), ...body];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const right = columns.map((_, i) => body.length > 0 && body.every((row) => NUMERIC.test(row[i] ?? '')));
  return cells
    .map((row) => row.map((cell, i) => (right[i] ? (cell ?? '').padStart(widths[i]) : (cell ?? '').padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** Whether `measured` meets `goal` under `op` ('>=' or '<='). */
export function isMet({ measured, op, goal }) {
  if (op === '>=') return measured >= goal;
  if (op === '<=') return measured <= goal;
  throw new Error(`target op must be '>=' or '<=', not ${op}`);
}

export function formatGoal({ op, goal, unit = '' }) {
  return `${op === '>=' ? '≥' : '≤'} ${formatValue(goal)}${unit}`;
}

export function targetRows(targets) {
  return targets.map((t) => [t.what, `${formatValue(t.measured)}${t.unit ?? ''}`, formatGoal(t), t.met ? 'met' : 'not met']);
}

/** One record per bench (package + title): a bench run again by hand counts once, its latest run. */
export function latestRecords(records) {
  return [...new Map(records.map((r) => [`${r.package}\u0000${r.bench}`, r])).values()];
}

export function benchReport(packageName, title, { out = console.log, reportsDir = REPORTS } = {}) {
  const record = { package: packageName, bench: title, at: new Date().toISOString(), context: {}, tables: [], targets: [] };
  out(`== ${packageName} · ${title} ==`);
  return {
    /** One line of what the numbers depend on; Node, CPUs and load average are added. */
    context(values = {}) {
      record.context = { node: process.version, cpus: availableParallelism(), load: Number(loadavg()[0].toFixed(2)), ...values };
      out(Object.entries(record.context).map(([k, v]) => `${k} ${formatValue(v)}`).join(' · '));
    },
    /** A note printed as is (what a number means, why a run is slow). */
    note(text) {
      out(text);
    },
    table(name, columns, rows) {
      record.tables.push({ name, columns, rows });
      out(`\n${name}\n${formatTable(columns, rows)}`);
    },
    /** A goal this bench is measured against: `{ measured, op: '>=' | '<=', goal, unit? }`. */
    target(what, { measured, op, goal, unit = '' }) {
      if (typeof measured !== 'number' || Number.isNaN(measured)) throw new Error(`target "${what}": measured must be a number`);
      record.targets.push({ what, measured, op, goal, unit, met: isMet({ measured, op, goal }) });
    },
    done() {
      if (record.targets.length > 0) out(`\ntargets\n${formatTable(['target', 'measured', 'goal', 'result'], targetRows(record.targets))}`);
      out('');
      mkdirSync(reportsDir, { recursive: true });
      appendFileSync(join(reportsDir, `${packageName.replace(/^@/, '').replace(/\//g, '-')}.jsonl`), `${JSON.stringify(record)}\n`);
      return record;
    },
  };
}
