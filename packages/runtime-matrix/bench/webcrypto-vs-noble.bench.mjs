// P7 (Chromium) and P8 (Deno, Bun): cold 3-hop `authorize` through WebCrypto ÷ through @noble/curves
// only, measured side by side inside each runtime (interleaved rounds, medians; see
// src/bundle/bench-suite.ts), three runs per runtime because this machine is shared and noisy.
// The measured ratio is the median of the three runs. Beside it, the ceiling: the same three
// signatures through bare crypto.subtle.verify vs bare @noble verify (no parsing, no A1 rules), and
// what authorize costs around the signature math (a backend that accepts everything: diagnostic only).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchReport } from '../../../scripts/bench/report.mjs';
import { BENCH, RUNTIMES } from '../src/runtimes.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGETS = { chromium: ['P7', 8], deno: ['P8', 5], bun: ['P8', 5] };

execFileSync(process.execPath, [fileURLToPath(new URL('../src/build-bundles.mjs', import.meta.url))], { stdio: 'inherit' });
const report = benchReport('@a1/runtime-matrix', 'cold 3-hop authorize, WebCrypto vs @noble/curves only, in Chromium, Deno and Bun');
report.context({ runs: RUNS, rounds: 15, 'calls per round': 30, statistic: 'median', 'distinct chains': 64 });

const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
let failed = false;
for (const runtime of RUNTIMES.filter((r) => r.id in TARGETS)) {
  const [id, goal] = TARGETS[runtime.id];
  if (!runtime.binary()) {
    report.note(`${runtime.label}: not installed (${runtime.install}); ${id} not measured`);
    failed = true;
    continue;
  }
  const rows = [];
  const ratios = [];
  let version = runtime.label;
  for (let run = 1; run <= RUNS; run++) {
    const result = await runtime.run(BENCH);
    version = result.runtime === 'browser' ? runtime.label : result.runtime;
    const us = result.medianMicros;
    const ratio = us['@noble/curves'] / us.webcrypto;
    ratios.push(ratio);
    const ceiling = us['raw @noble verify ×3'] / us['raw subtle.verify ×3'];
    rows.push([
      `run ${run}`,
      us.webcrypto,
      us['@noble/curves'],
      us['node:crypto'] ?? '—',
      `${ratio.toFixed(2)}x`,
      us['raw subtle.verify ×3'],
      us['raw @noble verify ×3'],
      `${ceiling.toFixed(2)}x`,
      us['authorize without signature math'],
    ]);
  }
  const measured = median(ratios);
  report.table(
    `${id} ${version}: µs per cold 3-hop authorize, and per 3 bare verifies of the same signatures (medians of 15 rounds)`,
    ['run', 'WebCrypto', '@noble only', 'node:crypto', '@noble ÷ WebCrypto', 'bare subtle ×3', 'bare @noble ×3', 'bare ratio', 'no sig math'],
    rows,
  );
  report.target(`${id} ${runtime.label}: WebCrypto vs @noble-only (times faster, median of ${RUNS} runs)`, { measured, op: '>=', goal, unit: 'x' });
}
report.done();
if (failed) process.exitCode = 1;
