// Authorizations per second for a 2-hop chain: Redis stores vs memory stores, 1 and 4 verifier
// processes, side by side in one run. Each process builds its own fresh chains first (signing is
// not timed), then authorizes them all with a bounded number in flight. The four configurations
// run interleaved, several rounds, and the best round counts: other work on a shared machine
// only ever slows a round down.
// Memory × 4 is four independent in-process stores: shown for scale, it is not a safe deployment.
// Run: pnpm --filter @a1/store-redis bench  (builds first; starts its own private redis-server)
import { cpus } from 'node:os';
import { benchReport } from '../../../scripts/bench/report.mjs';
import { startRedisServer, findRedisServer, INSTALL_HINT } from '../test/support/redis-server.mjs';
import { startVerifiers, tally } from '../test/support/verifier-processes.mjs';
import { RedisNonceStore, RedisRevocationStore } from '../dist/index.js';

const CHAINS_PER_PROCESS = Number(process.env.BENCH_CHAINS ?? 250);
const IN_FLIGHT_PER_PROCESS = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const HOPS = 2;

if (!findRedisServer()) {
  console.error(`redis-server not found; ${INSTALL_HINT}`);
  process.exit(1);
}

async function warmUp(verifiers) {
  await Promise.all(verifiers.map((v) => v.request({ kind: 'build', count: 100, hops: HOPS })));
  await Promise.all(verifiers.map((v) => v.request({ kind: 'authorize', concurrency: IN_FLIGHT_PER_PROCESS })));
}

async function measure(stores, verifiers) {
  const processes = verifiers.length;
  {
    await Promise.all(verifiers.map((v) => v.request({ kind: 'build', count: CHAINS_PER_PROCESS, hops: HOPS })));
    const replies = await Promise.all(
      verifiers.map((v) => v.request({ kind: 'authorize', concurrency: IN_FLIGHT_PER_PROCESS })),
    );
    const outcomes = tally(replies.flatMap((r) => r.outcomes));
    if (outcomes.ok !== processes * CHAINS_PER_PROCESS) throw new Error(`unexpected outcomes ${JSON.stringify(outcomes)}`);
    // The processes start together; the slowest one bounds the wall time of the whole run.
    const wallMs = Math.max(...replies.map((r) => r.elapsedMs));
    return { stores, processes, total: processes * CHAINS_PER_PROCESS, wallMs, perSecond: (processes * CHAINS_PER_PROCESS) / (wallMs / 1000) };
  }
}

// Exit through 'exit' on Ctrl-C or a timeout, so the private redis-server is killed with us.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const server = await startRedisServer();
// The first-deployment step (`a1-store-redis arm`): the stores refuse a key space nobody armed.
for (const store of [RedisNonceStore.fromUrl(server.url), RedisRevocationStore.fromUrl(server.url)]) {
  await store.arm();
  await store.close();
}
const rows = [];
// Started once and reused: the single-process runs use the first process of each set.
const sets = {};
try {
  sets.memory = await startVerifiers(4, { stores: 'memory' });
  sets.redis = await startVerifiers(4, { url: server.url, stores: 'redis' });
  await Promise.all([warmUp(sets.memory), warmUp(sets.redis)]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const processes of [1, 4]) {
      for (const stores of ['memory', 'redis']) rows.push(await measure(stores, sets[stores].slice(0, processes)));
    }
  }
} finally {
  await Promise.all(Object.values(sets).flat().map((v) => v.close()));
  await server.stop();
}

const report = benchReport('@a1/store-redis', 'authorizations per second, 2-hop chains: Redis stores vs memory stores');
report.context({ 'chains per process': CHAINS_PER_PROCESS, 'in flight per process': IN_FLIGHT_PER_PROCESS, rounds: ROUNDS, cpu: cpus()[0]?.model ?? 'unknown' });
report.note('best of the rounds (median in brackets); memory × 4 is four independent stores, shown for scale, not a safe deployment');
const rates = (processes, stores) =>
  rows.filter((r) => r.processes === processes && r.stores === stores).map((r) => r.perSecond).sort((a, b) => a - b);
const best = (r) => r[r.length - 1];
const median = (r) => r[Math.floor(r.length / 2)];
report.table(
  'auth/s',
  ['processes', 'memory best', 'memory median', 'Redis best', 'Redis median', 'Redis / memory (best)'],
  [1, 4].map((p) => [p, best(rates(p, 'memory')), median(rates(p, 'memory')), best(rates(p, 'redis')), median(rates(p, 'redis')), best(rates(p, 'redis')) / best(rates(p, 'memory'))]),
);
report.done(); // no ratio target: Redis's round trip is the cost of a shared store, shown for scale
