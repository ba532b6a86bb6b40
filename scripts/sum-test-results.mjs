// Sums every package's vitest JSON report into one line: "N passed, N failed, N skipped".
// A package with tests but no report, or a suite that failed to load, counts as a failure, with the
// reason (its failed test task or the failed build it needed, from turbo's run summary and the
// run's output that scripts/test.sh keeps in .reports/turbo-test.out); so does a non-vitest check
// in .reports/ that ended without its result line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestRunSummary, uncountedFailures, whyNoReport, workspaceGraph } from './lib/turbo-run.mjs';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((dir) => ({ dir, file: join(root, 'packages', dir, 'package.json') }))
  .filter(({ file }) => existsSync(file))
  .map(({ dir, file }) => ({ dir, manifest: JSON.parse(readFileSync(file, 'utf8')) }));
const turboOutput = join(root, '.reports', 'turbo-test.out');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const { dir: name, manifest } of packages) {
  if (!manifest.scripts?.test) continue;
  const reportFile = join(root, 'packages', name, 'test-results.json');
  if (!existsSync(reportFile)) {
    const why = whyNoReport({
      name: manifest.name,
      workspaceDeps: workspaceGraph(packages.map((p) => p.manifest)),
      summary: latestRunSummary(root),
      output: existsSync(turboOutput) ? readFileSync(turboOutput, 'utf8') : undefined,
    });
    console.log(`${name}: no test report, counted as 1 failed — ${why}`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(reportFile, 'utf8'));
  const brokenSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
  const p = r.numPassedTests ?? 0;
  const f = (r.numFailedTests ?? 0) + brokenSuites;
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${name}: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
}
// A task turbo ran that failed without any package report showing it (a build of a package with no
// tests, say) still fails the run.
const counted = new Set(packages.filter((p) => p.manifest.scripts?.test).map((p) => p.manifest.name));
for (const task of uncountedFailures(latestRunSummary(root), counted)) {
  console.log(`${task.taskId}: failed (${task.execution.error ?? `exit code ${task.execution.exitCode}`}), counted as 1 failed`);
  failed += 1;
}
// Checks outside vitest (scripts/test.sh logs them to .reports/): their closing "N passed, N failed".
const reports = join(root, '.reports');
for (const log of existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith('.log')).sort() : []) {
  const lines = readFileSync(join(reports, log), 'utf8').trim().split('\n');
  const m = /^(\d+) passed, (\d+) failed/.exec(lines[lines.length - 1] ?? '');
  const name = log.replace(/\.log$/, '');
  if (!m) {
    console.log(`${name}: no result line (the check did not finish)`);
    failed += 1;
    continue;
  }
  console.log(`${name}: ${m[1]} passed, ${m[2]} failed`);
  passed += Number(m[1]);
  failed += Number(m[2]);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
