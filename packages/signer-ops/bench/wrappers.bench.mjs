// Overhead of each wrapper over the bare signer: AwsKmsSigner against the AWS KMS emulator at
// 0 ms latency (in its own process), 16 calls in flight. Variants run interleaved, several rounds, medians compared,
// so a load spike on the shared machine hits them all alike.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AwsKmsSigner } from '@a1/signer-aws';
import { InMemorySpanExporter, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { failover, instrument, withQuota } from '../dist/index.js';
import { LocalSigner } from '@a1/core';
import { benchReport } from '../../../scripts/bench/report.mjs';

const CALLS = Number(process.env.A1_BENCH_CALLS ?? 1_000);
const ROUNDS = Number(process.env.A1_BENCH_ROUNDS ?? 5);
const CONCURRENCY = 16;

const emulator = fork(new URL('./aws-emulator-process.mjs', import.meta.url), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const kms = await new Promise((resolve) => emulator.once('message', resolve));
const aws = () => new AwsKmsSigner({ keyId: 'alias/a1-root', endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials: kms.credentials } });
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] }).getTracer('bench');
const meter = new MeterProvider().getMeter('bench');

const bare = aws();
const variants = {
  bare,
  'withQuota (local bucket, never waits)': withQuota(aws(), { ratePerSecond: 1e6, burst: 1e6, maxInFlight: CONCURRENCY }),
  'failover (2 members, primary healthy)': failover([aws(), aws()]),
  'failover + hedgeAfterMs 1000': failover([aws(), aws()], { hedgeAfterMs: 1_000 }),
  'instrument (OTel SDK, in-memory)': instrument(aws(), { tracer, meter }),
};
for (const s of Object.values(variants)) await s.verifyingKey();

async function run(signer) {
  const messages = Array.from({ length: CALLS }, () => new Uint8Array(randomBytes(32)));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        const sig = await signer.signMessage(messages[next++]);
        if (sig.length !== 64) throw new Error('bad signature length');
      }
    }),
  );
  return performance.now() - t0;
}

await run(bare); // warm-up: sockets, JIT
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) for (const [name, signer] of Object.entries(variants)) times[name].push(await run(signer));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bareMs = median(times.bare);

const report = benchReport('@a1/signer-ops', 'wrapper overhead over the bare signer');
report.context({ calls: CALLS, rounds: ROUNDS, concurrency: CONCURRENCY, 'latency ms': 0, backend: 'AWS KMS emulator' });
const rows = Object.entries(times).map(([name, xs]) => {
  const ms = median(xs);
  return [name, ms, (CALLS / ms) * 1000, name === 'bare' ? 0 : ((ms - bareMs) / bareMs) * 100];
});
report.note('The emulator runs in its own process; wall times per round: ' + JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, xs.map(Math.round)]))));
report.table('median of rounds', ['signer', 'wall ms', 'signatures/s', 'overhead %'], rows);

// The wrappers' own cost, free of the backend's noise: added µs per call over an in-process signer.
const local = LocalSigner.generate();
const inProcess = () => ({ provider: 'local', keyId: 'bench', verifyingKey: async () => local.verifyingKey(), signMessage: async (m) => local.signMessage(m) });
const cheap = {
  bare: inProcess(),
  withQuota: withQuota(inProcess(), { ratePerSecond: 1e9, burst: 1e9, maxInFlight: CONCURRENCY }),
  failover: failover([inProcess(), inProcess()].map((s, i) => (i === 0 ? s : { ...s, verifyingKey: async () => local.verifyingKey() }))),
  instrument: instrument(inProcess(), { tracer, meter }),
};
for (const s of Object.values(cheap)) await s.verifyingKey();
const LOCAL_CALLS = CALLS * 5;
const cheapTimes = Object.fromEntries(Object.keys(cheap).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, signer] of Object.entries(cheap)) {
    const message = new Uint8Array(randomBytes(32));
    const t0 = performance.now();
    for (let i = 0; i < LOCAL_CALLS; i++) await signer.signMessage(message);
    cheapTimes[name].push(((performance.now() - t0) * 1000) / LOCAL_CALLS);
  }
}
const bareUs = median(cheapTimes.bare);
const emulatorCallUs = (bareMs * 1000 * CONCURRENCY) / CALLS; // one call's latency at concurrency 16
report.table('added cost per call over an in-process LocalSigner (sequential, median of rounds)', ['signer', 'µs per call', 'added µs', 'added % of one emulator call'], Object.entries(cheapTimes).map(([name, xs]) => {
  const us = median(xs);
  return [name, us, us - bareUs, ((us - bareUs) / emulatorCallUs) * 100];
}));
for (const [name, xs] of Object.entries(cheapTimes).slice(1)) {
  report.target(`${name}: added CPU per call, % of one emulator call`, { measured: Number((((median(xs) - bareUs) / emulatorCallUs) * 100).toFixed(2)), op: '<=', goal: 5, unit: ' %' });
}
for (const [name, , , overhead] of rows.slice(1)) report.target(`${name}: overhead`, { measured: Number(overhead.toFixed(1)), op: '<=', goal: 5, unit: ' %' });
report.done();

await Promise.all(Object.values(variants).map((s) => s.close()));
emulator.send('close');
