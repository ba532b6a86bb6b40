/**
 * Issues 1,000 certs through GcpKmsSigner against the Cloud KMS emulator (on its own thread)
 * with 20 ms injected latency per RPC: sequentially, then 16 at a time. Prints wall time,
 * throughput, speed-up and the emulator's call counters (exactly one GetPublicKey per run).
 * Run after `pnpm --filter @a1/signer-gcp build` (turbo's bench task builds first).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { authorize, CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { GcpKmsSigner } from '../dist/index.js';
import { benchReport } from '../../../scripts/bench/report.mjs';

const CERTS = Number(process.env.A1_BENCH_CERTS ?? 1000);
const LATENCY_MS = 20;
const CONCURRENCY = 16;

const worker = new Worker(new URL('./emulator-worker.mjs', import.meta.url), { workerData: { latencyMs: LATENCY_MS } });
const [key] = await once(worker, 'message');
const ask = async (request) => {
  worker.postMessage(request);
  const [answer] = await once(worker, 'message');
  return answer;
};

const scope = intentHash('trade.equity');
const delegatePk = LocalSigner.generate().verifyingKey();

async function run(label, concurrency) {
  await ask('reset');
  const signer = new GcpKmsSigner({ name: key.name, endpoint: key.endpoint });
  const now = BigInt(Math.floor(Date.now() / 1000));
  const certs = new Array(CERTS);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < CERTS; i = next++) {
        certs[i] = await new CertBuilder({ delegatePk, scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
      }
    }),
  );
  const ms = performance.now() - started;
  // Spot-check that what was issued verifies offline.
  const principalPk = await signer.verifyingKey();
  for (const cert of [certs[0], certs[CERTS - 1]]) {
    await authorize({ principalPk, principalScope: scope, certs: [cert] }, { agentPk: delegatePk, intent: scope, now });
  }
  await signer.close();
  const { calls } = await ask('calls');
  if (calls.GetPublicKey !== 1) throw new Error(`${label}: expected one GetPublicKey, saw ${calls.GetPublicKey}`);
  if (calls.AsymmetricSign !== CERTS) throw new Error(`${label}: expected ${CERTS} AsymmetricSign, saw ${calls.AsymmetricSign}`);
  return { label, concurrency, ms, certsPerSecond: (CERTS / ms) * 1000, calls };
}

try {
  const sequential = await run('sequential', 1);
  const parallel = await run(`concurrency ${CONCURRENCY}`, CONCURRENCY);
  const report = benchReport('@a1/signer-gcp', 'issue certs through GcpKmsSigner → Cloud KMS emulator (worker thread)');
  report.context({ certs: CERTS, 'latency ms per RPC': LATENCY_MS });
  report.table(
    'runs',
    ['run', 'wall ms', 'certs/s', 'GetPublicKey', 'AsymmetricSign'],
    [sequential, parallel].map((r) => [r.label, r.ms, r.certsPerSecond, r.calls.GetPublicKey, r.calls.AsymmetricSign]),
  );
  // Reported, not enforced: timings depend on the machine; the call counts above are enforced.
  report.target(`speed-up, concurrency ${CONCURRENCY} vs sequential`, { measured: sequential.ms / parallel.ms, op: '>=', goal: 10, unit: 'x' });
  report.done();
} finally {
  worker.postMessage('close');
  await once(worker, 'exit');
}
