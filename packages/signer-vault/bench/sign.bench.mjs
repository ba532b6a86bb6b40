// 1,000 certs through VaultTransitSigner against the Vault emulator (in its own process, on
// loopback) with 20 ms of injected latency per sign: sequential, then 16 at a time. Prints
// timings and the emulator's call counters: one key read per run is the point of pinning the
// key at first use. Run after `pnpm build` (turbo's bench task builds first).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { CertBuilder, LocalSigner, authorize, intentHash } from '@a1/core';
import { VaultTransitSigner } from '../dist/index.js';
import { benchReport } from '../../../scripts/bench/report.mjs';

const CERTS = Number(process.env.A1_BENCH_CERTS ?? 1000);
const LATENCY_MS = 20;
const CONCURRENCY = 16;

const child = fork(new URL('./vault-process.mjs', import.meta.url), { stdio: 'inherit' });
const ask = async (message) => {
  child.send(message);
  const [reply] = await once(child, 'message');
  return reply;
};
const [ready] = await once(child, 'message');
const publicKey = new Uint8Array(Buffer.from(ready.publicKey, 'base64'));
await ask({ type: 'latency', ms: LATENCY_MS });

const scope = intentHash('trade.equity');
const agent = LocalSigner.generate();

async function run(label, concurrency) {
  await ask({ type: 'reset' });
  const signer = new VaultTransitSigner({ endpoint: ready.endpoint, keyName: 'a1-root', roleId: ready.roleId, secretId: ready.secretId });
  const now = BigInt(Math.floor(Date.now() / 1000));
  const certs = new Array(CERTS);
  let next = 0;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  async function worker() {
    while (next < CERTS) {
      const i = next++;
      certs[i] = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const { calls, cpuMs: vaultCpuMs } = await ask({ type: 'calls' });
  // Every cert must verify offline under the Vault key; a bench of bad certs proves nothing.
  for (const cert of certs) {
    await authorize({ principalPk: publicKey, principalScope: scope, certs: [cert] }, { agentPk: agent.verifyingKey(), intent: scope, now });
  }
  await signer.close();
  const result = {
    label,
    concurrency,
    certs: CERTS,
    ms: Math.round(ms),
    certsPerSecond: Math.round((CERTS / ms) * 1000),
    // CPU per cert: when concurrency is CPU-bound (a busy machine), this sets the floor.
    signerCpuMsPerCert: +((cpu.user + cpu.system) / 1000 / CERTS).toFixed(2),
    vaultCpuMsPerCert: +(vaultCpuMs / CERTS).toFixed(2),
    calls,
  };
  return result;
}

try {
  const sequential = await run('sequential', 1);
  const parallel = await run(`concurrency ${CONCURRENCY}`, CONCURRENCY);
  const report = benchReport('@a1/signer-vault', 'issue certs through VaultTransitSigner → Vault emulator (separate process)');
  report.context({ certs: CERTS, 'latency ms per sign': LATENCY_MS, 'all certs verified': 2 * CERTS });
  // CPU per cert: when the concurrent run is CPU-bound (a busy machine), this sets the floor.
  report.table(
    'runs',
    ['run', 'wall ms', 'certs/s', 'signer CPU ms/cert', 'Vault CPU ms/cert', 'calls'],
    [sequential, parallel].map((r) => [r.label, r.ms, r.certsPerSecond, r.signerCpuMsPerCert, r.vaultCpuMsPerCert, Object.entries(r.calls).map(([k, v]) => `${k} ${v}`).join(', ')]),
  );
  // Not an exit code: on a machine shared with other jobs the concurrent run is CPU-bound.
  report.target(`speed-up, concurrency ${CONCURRENCY} vs sequential`, { measured: sequential.ms / parallel.ms, op: '>=', goal: 10, unit: 'x' });
  report.done();
} finally {
  child.send({ type: 'close' });
  await once(child, 'exit');
}
