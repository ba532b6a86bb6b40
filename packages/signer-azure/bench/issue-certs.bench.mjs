/**
 * Issue N certs (default 1,000) through AzureKeyVaultSigner against the Key Vault emulator with
 * 20 ms injected latency on every call: sequential vs concurrency 16. Prints the speed-up and the
 * emulator's call counters (one GetKey for the whole run). Run after `pnpm build`.
 *
 *   node bench/issue-certs.bench.mjs [--count 1000] [--concurrency 16] [--latency 20]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CertBuilder, intentHash, LocalSigner, signableBytes, verifyEd25519 } from '@a1/core';
import { AzureKeyVaultSigner } from '@a1/signer-azure';
import { benchReport } from '../../../scripts/bench/report.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    latency: { type: 'string', default: '20' },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);

const emulator = fork(fileURLToPath(new URL('./emulator-process.mjs', import.meta.url)), [String(latencyMs)]);
const request = (message, key) =>
  new Promise((resolve, reject) => {
    const onMessage = (reply) => {
      if (reply && key in reply) {
        emulator.off('message', onMessage);
        resolve(reply[key]);
      }
    };
    emulator.on('message', onMessage);
    emulator.once('error', reject);
    if (message !== undefined) emulator.send(message);
  });
const described = await request(undefined, 'ready');
const [benchKey] = described.keys;
const rootPk = Uint8Array.from(Buffer.from(benchKey.publicKeyHex, 'hex'));

// The emulator's test token, through a TokenCredential; the CA is trusted explicitly.
const credential = { getToken: async () => ({ token: described.token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
const signer = new AzureKeyVaultSigner({
  vaultUrl: described.endpoint,
  keyName: benchKey.name,
  credential,
  clientOptions: { tlsOptions: { ca: described.ca }, disableChallengeResourceVerification: true },
});
const delegatePk = LocalSigner.generate().verifyingKey();
const scopeRoot = intentHash('trade.equity');

async function issueOne() {
  const now = BigInt(Math.floor(Date.now() / 1000));
  const cert = await new CertBuilder({ delegatePk, scopeRoot, issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
  // buildAsync already verified it; check again so a broken run cannot report a fast time.
  if (!verifyEd25519(rootPk, signableBytes(cert), cert.signature)) throw new Error('cert does not verify');
  return cert;
}

async function run(parallel) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next += 1;
        await issueOne();
      }
    }),
  );
  return performance.now() - started;
}

await signer.verifyingKey(); // first use: the one key read (and the challenge), outside the timings
const sequentialMs = await run(1);
const concurrentMs = await run(concurrency);
const calls = await request('calls', 'calls');
emulator.send('close');

const report = benchReport('@a1/signer-azure', 'issue certs through AzureKeyVaultSigner → Key Vault emulator (separate process)');
report.context({ certs: count, 'latency ms per call': latencyMs });
const row = (label, ms) => [label, ms, (count / ms) * 1000, ms / count];
report.table('runs', ['run', 'wall ms', 'certs/s', 'wall ms/cert'], [row('sequential', sequentialMs), row(`concurrency ${concurrency}`, concurrentMs)]);
report.table('emulator calls', ['operation', 'calls'], Object.entries(calls));
report.target(`speed-up, concurrency ${concurrency} vs sequential`, { measured: sequentialMs / concurrentMs, op: '>=', goal: 10, unit: 'x' });
report.done();
