// Sums every package's vitest JSON report into one line: "N passed, N failed, N skipped".
// A package with tests but no report, or a suite that failed to load, counts as a failure; so does
// a non-vitest check in .reports/ that ended without its result line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile) || !JSON.parse(readFileSync(pkgFile, 'utf8')).scripts?.test) continue;
  const reportFile = join(dir, 'test-results.json');
  if (!existsSync(reportFile)) {
    console.log(`${name}: no test report (its tests did not run)`);
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
