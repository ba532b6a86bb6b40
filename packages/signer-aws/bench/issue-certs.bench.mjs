/**
 * Issue N certs (default 1,000) through AwsKmsSigner against the AWS KMS emulator with 20 ms
 * injected latency on every call: sequential vs concurrency 16. Prints the speed-up and the
 * emulator's call counters (one GetPublicKey for the whole run). Run after `pnpm build`.
 *
 *   node bench/issue-certs.bench.mjs [--count 1000] [--concurrency 16] [--latency 20]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CertBuilder, intentHash, LocalSigner, verifyEd25519, signableBytes } from '@a1/core';
import { AwsKmsSigner } from '@a1/signer-aws';
import { benchReport } from '../../../scripts/bench/report.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // the SDK's Node 20 notice (aws/aws-sdk-js-v3#7983)

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

// The emulator runs in a child process, like a remote KMS: only the signer's CPU is measured here.
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
const [credentials] = described.credentials;
const signer = new AwsKmsSigner({
  keyId: 'alias/a1-bench',
  region: described.region,
  endpoint: described.endpoint,
  clientConfig: { credentials },
});
const delegatePk = LocalSigner.generate().verifyingKey();
const scopeRoot = intentHash('trade.equity');
const rootPk = Uint8Array.from(Buffer.from(benchKey.publicKeyHex, 'hex'));
const issued = [];

async function issueOne() {
  const now = BigInt(Math.floor(Date.now() / 1000));
  // buildAsync verifies the signature against the pinned key before returning the cert.
  const cert = await new CertBuilder({ delegatePk, scopeRoot, issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
  issued.push(cert);
}

async function run(parallel) {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next += 1;
        await issueOne();
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMsPerCert: (cpu.user + cpu.system) / 1000 / count };
}

await signer.verifyingKey(); // first use outside the timings; counted below
const sequential = await run(1);
const concurrent = await run(concurrency);
const calls = await request('calls', 'calls');
await signer.close();
emulator.send('close');

const report = benchReport('@a1/signer-aws', 'issue certs through AwsKmsSigner → AWS KMS emulator (separate process)');
report.context({ certs: count, 'latency ms per call': latencyMs });
const row = (label, r) => [label, r.wallMs, (count / r.wallMs) * 1000, r.wallMs / count, r.cpuMsPerCert];
report.table('runs', ['run', 'wall ms', 'certs/s', 'wall ms/cert', 'signer CPU ms/cert'], [row('sequential', sequential), row(`concurrency ${concurrency}`, concurrent)]);
report.table('emulator calls', ['operation', 'calls'], Object.entries(calls));
report.target(`speed-up, concurrency ${concurrency} vs sequential`, { measured: sequential.wallMs / concurrent.wallMs, op: '>=', goal: 10, unit: 'x' });
report.done();
// Outside the timings: every cert is signed by the emulator's key, as the verifier will see it.
const bad = issued.filter((cert) => !verifyEd25519(rootPk, signableBytes(cert), cert.signature)).length;
if (issued.length !== 2 * count || bad > 0) {
  console.error(`expected ${2 * count} verifying certs, got ${issued.length} with ${bad} bad`);
  process.exitCode = 1;
}
if (calls.GetPublicKey !== 1) {
  console.error(`expected exactly one GetPublicKey, saw ${calls.GetPublicKey}`);
  process.exitCode = 1;
}
if (calls.Sign !== 2 * count) {
  console.error(`expected ${2 * count} Sign calls, saw ${calls.Sign}`);
  process.exitCode = 1;
}
