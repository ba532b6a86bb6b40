// Gateway benchmarks (autocannon on loopback; the load generator shares the 2 cores):
//  1. authorize of 3-hop chains, 1 and 2 gateway processes: requests/s, p50/p99, server CPU per
//     request, and that cost ÷ in-process `authorize` of the same chains;
//  2. authorize of fresh 1-hop chains issued through the gateway, each sent once, 32 connections;
//  3. issuance through the AWS KMS emulator with 20 ms injected latency at concurrency 64.
// Every chain is distinct and sent once (a chain authorizes once); every answer must be a 200/201,
// else the bench fails. Run: pnpm --filter @a1/gateway bench  (BENCH_SCALE=0.5 for a shorter run)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  authorize,
  CertBuilder,
  intentHash,
  LocalSigner,
  MemoryNonceStore,
  MemoryRevocationStore,
  parseSignedChain,
  serializeCert,
  toHex,
  fromHex,
} from '@a1/core';
import { startAwsKms } from '@a1/emulators';
import { benchReport } from '../../../scripts/bench/report.mjs';
import { startGateway } from './gateway-process.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const THREE_HOP_REQUESTS = Math.round(12_000 * SCALE);
const FRESH_REQUESTS = Math.round(30_000 * SCALE);
const ISSUE_REQUESTS = Math.round(4_000 * SCALE);
const SECRET = 'bench-admin-secret';
const dir = mkdtempSync(join(tmpdir(), 'a1-gateway-bench-'));
const root = LocalSigner.generate();
writeFileSync(join(dir, 'root.key'), `${toHex(root.exportSeed())}\n`, { mode: 0o600 });
const baseEnv = { A1_GATEWAY_SIGNER: 'file:./root.key', A1_ADMIN_SECRET: SECRET, A1_RATE_LIMIT_RPS: '1000000', A1_GATEWAY_MAC_KEY: '42'.repeat(32) };
const INTENT = 'trade.equity';
const SCOPE = intentHash(INTENT);

const report = benchReport('@a1/gateway', 'HTTP authorize and issuance');
report.context({ '3-hop requests': THREE_HOP_REQUESTS, 'fresh 1-hop requests': FRESH_REQUESTS, 'issue requests': ISSUE_REQUESTS, store: 'memory' });

/** Distinct 3-hop chains under the gateway's root key, as authorize request bodies. */
function threeHopBodies(count) {
  const now = BigInt(Math.floor(Date.now() / 1000));
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const agents = [LocalSigner.generate(), LocalSigner.generate(), LocalSigner.generate()];
    let signer = root;
    const certs = agents.map((agent) => {
      const cert = new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: SCOPE, issuedAt: now, expirationUnix: now + 3600n }).build(signer);
      signer = agent;
      return serializeCert(cert);
    });
    const chain = `{"version":1,"principal_pk":"${toHex(root.verifyingKey())}","principal_scope":"${toHex(SCOPE)}","certs":[${certs.join(',')}]}`;
    bodies.push(`{"chain":${chain},"intent_name":"${INTENT}","executor_pk_hex":"${toHex(agents[2].verifyingKey())}"}`);
  }
  return bodies;
}

/**
 * Sends every body once over `connections` connections; throws unless every answer is `status`
 * or one of `tolerate` (statuses a saturated machine may rightly produce, e.g. a KMS call past its
 * deadline → 504), which are counted and reported.
 */
async function send(url, path, bodies, connections, { status = 200, headers = {}, tolerate = [] } = {}) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    amount: bodies.length,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (request) => ({ ...request, body: bodies[next++] }),
      },
    ],
  });
  const tolerated = tolerate.reduce((n, code) => n + (result.statusCodeStats?.[code]?.count ?? 0), 0);
  const wrong = result.non2xx - tolerated + result.errors + result.timeouts;
  if (wrong > 0 || result.requests.total !== bodies.length) {
    throw new Error(`${path}: ${result.requests.total} sent, ${wrong} unexpected answers ${JSON.stringify(result.statusCodeStats)}`);
  }
  const expected = result.statusCodeStats?.[status]?.count ?? 0;
  if (expected + tolerated !== bodies.length) throw new Error(`${path}: expected ${status} answers, got ${JSON.stringify(result.statusCodeStats)}`);
  return Object.assign(result, { tolerated });
}

async function threeHop() {
  // In-process baseline: parse + authorize (memory stores) of the same kind of chains, one core.
  const inProcessBodies = threeHopBodies(Math.round(2_000 * SCALE));
  const nonces = new MemoryNonceStore();
  const revocations = new MemoryRevocationStore();
  const parsed = inProcessBodies.map((b) => JSON.parse(b));
  const chainTexts = parsed.map((p) => JSON.stringify(p.chain));
  const agentKeys = parsed.map((p) => fromHex(p.executor_pk_hex, 'pk'));
  let cpu = process.cpuUsage();
  const chains = chainTexts.map((t) => parseSignedChain(t));
  const parseMicros = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / chains.length;
  cpu = process.cpuUsage();
  for (let i = 0; i < chains.length; i++) await authorize(chains[i], { agentPk: agentKeys[i], intent: SCOPE, nonces, revocations });
  const used = process.cpuUsage(cpu);
  const authorizeMicros = (used.user + used.system) / chains.length;

  const rows = [];
  let httpMicros1 = 0;
  for (const processes of [1, 2]) {
    const gateways = await Promise.all(Array.from({ length: processes }, () => startGateway(baseEnv, { cwd: dir })));
    try {
      const perProcess = Math.round(THREE_HOP_REQUESTS / processes);
      const bodies = gateways.map(() => threeHopBodies(perProcess));
      // Warm-up (JIT), not measured.
      await Promise.all(gateways.map((g) => send(g.url, '/v1/authorize', threeHopBodies(300), 16)));
      const cpuBefore = gateways.map((g) => g.cpuMicros());
      const started = performance.now();
      const results = await Promise.all(gateways.map((g, i) => send(g.url, '/v1/authorize', bodies[i], 32 / processes)));
      const seconds = (performance.now() - started) / 1000;
      const cpuMicros = gateways.reduce((sum, g, i) => sum + g.cpuMicros() - cpuBefore[i], 0);
      const total = results.reduce((n, r) => n + r.requests.total, 0);
      const perRequest = cpuMicros / total;
      if (processes === 1) httpMicros1 = perRequest;
      rows.push([processes, 32, total, Math.round(total / seconds), Math.max(...results.map((r) => r.latency.p50)), Math.max(...results.map((r) => r.latency.p99)), Math.round(perRequest)]);
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
    }
  }
  report.table('authorize, 3-hop chains (each sent once)', ['processes', 'connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req'], rows);
  report.table('in-process, same chains (one core)', ['step', 'CPU µs/op'], [
    ['parseSignedChain', Math.round(parseMicros)],
    ['authorize (memory stores)', Math.round(authorizeMicros)],
    ['parse + authorize', Math.round(parseMicros + authorizeMicros)],
  ]);
  report.target('HTTP authorize CPU ÷ in-process parse + authorize (3-hop)', { measured: httpMicros1 / (parseMicros + authorizeMicros), op: '<=', goal: 1.5, unit: 'x' });
  report.context({ 'HTTP ÷ in-process authorize alone': (httpMicros1 / authorizeMicros).toFixed(2) });
}

async function freshOneHop() {
  const gateway = await startGateway(baseEnv, { cwd: dir });
  try {
    // Pre-issue the certs through the gateway (issue-batch, 500 per call), not timed.
    const pk = (await (await fetch(`${gateway.url}/health`)).json()).signing_pk_hex;
    const bodies = [];
    while (bodies.length < FRESH_REQUESTS + 500) {
      const agents = Array.from({ length: 500 }, () => LocalSigner.generate());
      const response = await fetch(`${gateway.url}/v1/cert/issue-batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
        body: JSON.stringify({ requests: agents.map((a) => ({ delegate_pk_hex: toHex(a.verifyingKey()), intents: [{ name: INTENT }] })) }),
      });
      if (response.status !== 201) throw new Error(`issue-batch: ${response.status}`);
      const text = await response.text();
      const { issued } = JSON.parse(text);
      issued.forEach((item, i) => {
        const chain = `{"version":1,"principal_pk":"${pk}","principal_scope":"${item.scope_root_hex}","certs":[${JSON.stringify(item.cert)}]}`;
        bodies.push(`{"chain":${chain},"intent_name":"${INTENT}","executor_pk_hex":"${toHex(agents[i].verifyingKey())}"}`);
      });
    }
    await send(gateway.url, '/v1/authorize', bodies.splice(0, 500), 32); // warm-up
    const cpuBefore = gateway.cpuMicros();
    const result = await send(gateway.url, '/v1/authorize', bodies, 32);
    const cpuPerRequest = (gateway.cpuMicros() - cpuBefore) / result.requests.total;
    const perSecond = result.requests.total / (result.duration);
    report.table('authorize, fresh 1-hop chains issued through the gateway (each sent once)', ['connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req'], [
      [32, result.requests.total, Math.round(perSecond), result.latency.p50, result.latency.p99, Math.round(cpuPerRequest)],
    ]);
    report.target('fresh 1-hop authorize, 32 connections', { measured: Math.round(perSecond), op: '>=', goal: 4300, unit: ' req/s' });
  } finally {
    await gateway.stop();
  }
}

async function issuanceThroughKms() {
  const aws = await startAwsKms();
  try {
    aws.createKey({ alias: 'alias/a1-gateway-bench' });
    aws.faults.inject({ fault: { kind: 'latency', ms: 20 }, operation: 'Sign' });
    const { credentials } = aws.clientConfig();
    const gateway = await startGateway(
      {
        ...baseEnv,
        A1_GATEWAY_SIGNER: `awskms://${new URL(aws.endpoint).host}/alias/a1-gateway-bench?region=${aws.region}`,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      { cwd: dir },
    );
    try {
      const agent = toHex(LocalSigner.generate().verifyingKey());
      const body = JSON.stringify({ delegate_pk_hex: agent, intents: [{ name: INTENT }] });
      const headers = { authorization: `Bearer ${SECRET}` };
      await send(gateway.url, '/v1/cert/issue', Array(200).fill(body), 64, { status: 201, headers, tolerate: [503, 504] }); // warm-up
      const result = await send(gateway.url, '/v1/cert/issue', Array(ISSUE_REQUESTS).fill(body), 64, { status: 201, headers, tolerate: [503, 504] });
      const perSecond = (result.requests.total - result.tolerated) / result.duration;
      const keyFetches = aws.calls.get('GetPublicKey');
      report.table('issue through the AWS KMS emulator, 20 ms Sign latency', ['concurrency', 'requests', 'certs issued', '503/504 (KMS past deadline)', 'certs/s', 'p50 ms', 'p99 ms', 'GetPublicKey calls', 'Sign calls'], [
        [64, result.requests.total, result.requests.total - result.tolerated, result.tolerated, Math.round(perSecond), result.latency.p50, result.latency.p99, keyFetches, aws.calls.get('Sign')],
      ]);
      if (keyFetches !== 1) throw new Error(`expected one public-key fetch for the process, saw ${keyFetches}`);
      report.target('public-key fetches per gateway process while issuing', { measured: keyFetches, op: '<=', goal: 1 });
    } finally {
      await gateway.stop();
    }
  } finally {
    await aws.close();
  }
}

// BENCH_ONLY=3hop|fresh|issue runs one part.
const only = process.env.BENCH_ONLY;
try {
  if (!only || only === '3hop') await threeHop();
  if (!only || only === 'fresh') await freshOneHop();
  if (!only || only === 'issue') await issuanceThroughKms();
  report.done();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
