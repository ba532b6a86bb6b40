// `a1 verify` end to end (a process per run, as an operator or a CI job runs it) for a 3-hop
// chain, against bare Node startup; and what loading each provider package would add, which
// `a1 verify` never pays (test/lazy-loading.test.ts proves it loads none).
// Run from packages/cli after building: `pnpm bench` (RUNS=N to change the sample size).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchReport } from '../../../scripts/bench/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const bin = join(pkg, 'bin', 'a1.js');
const fixtures = join(pkg, 'test', 'fixtures');
const keys = JSON.parse(readFileSync(join(fixtures, 'reference-keys.json'), 'utf8')).keys;
const runs = Number(process.env.RUNS ?? 15);

const summary = (samples) => {
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)], min: samples[0] };
};

/**
 * Side by side: one run of each command in turn, round after round, so bare Node and `a1` see the
 * same machine load (this machine is shared); the first two rounds warm the disk cache.
 */
function timeSideBySide(commands) {
  const samples = commands.map(() => []);
  for (let round = 0; round < runs + 2; round++) {
    commands.forEach(([, args, options = {}], i) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: pkg, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== (options.expect ?? 0)) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      if (round >= 2) samples[i].push(ms);
    });
  }
  return commands.map(([label], i) => [label, summary(samples[i])]);
}

const verifyArgs = [bin, 'verify', '--chain', join(fixtures, 'reference-chain-3hop.json'), '--root', keys['principal P'], '--agent', keys['agent C'], '--intent', 'trade.equity', '--at', '1700000000'];
const rows = timeSideBySide([
  ['node -e 0 (bare startup)', ['-e', '0']],
  ['a1 --help', [bin, '--help']],
  ['a1 verify, 3-hop reference chain', verifyArgs],
  ['a1 verify --json, 3-hop', [...verifyArgs, '--json']],
  ['a1 verify, refused (ScopeViolation)', [...verifyArgs.slice(0, -4), '--intent', 'audit.read', '--at', '1700000000'], { expect: 1 }],
]);
// Import cost measured inside a fresh process (startup excluded), after @a1/core is loaded:
// what a command would add by touching a provider package.
function importCost(name) {
  const samples = [];
  const script = `await import('@a1/core'); const t = performance.now(); await import(${JSON.stringify(name)}); console.log(performance.now() - t);`;
  for (let i = 0; i < runs + 2; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
    if (i >= 2) samples.push(Number(result.stdout.trim()));
  }
  return summary(samples);
}
const imports = ['@a1/cli', '@a1/signer-aws', '@a1/signer-gcp', '@a1/signer-vault', '@a1/signer-azure', '@a1/signer-pkcs11', '@a1/emulators'].map((name) => [
  `+ import('${name}') after @a1/core`,
  importCost(name),
]);

const report = benchReport('@a1/cli', '`a1 verify` end to end, next to bare Node startup');
report.context({ runs, 'warm-up runs': 2, measure: 'process wall time, ms, commands alternated round by round' });
report.table('processes', ['what', 'median ms', 'p90 ms', 'min ms'], rows.map(([label, t]) => [label, t.median, t.p90, t.min]));
report.table('import cost in-process (startup excluded)', ['what', 'median ms', 'p90 ms', 'min ms'], imports.map(([label, t]) => [label, t.median, t.p90, t.min]));
const bare = rows[0][1].median;
const verify = rows[2][1].median;
report.target('a1 verify (3-hop) / bare node startup', { measured: verify / bare, op: '<=', goal: 1.3, unit: 'x' });
report.done();
