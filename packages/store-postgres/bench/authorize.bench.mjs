// Authorizations per second for a 2-hop chain: PostgreSQL stores beside the memory and Redis
// stores, 1 and 4 verifier processes, all in one run. Each process builds its own fresh chains
// first (signing is not timed), then authorizes them all with a bounded number in flight. The six
// configurations run interleaved, several rounds, and the best round counts (other work on a
// shared machine only ever slows a round down); the median is printed beside it.
// Memory × 4 is four independent in-process stores: shown for scale, it is not a safe deployment.
// Run: pnpm --filter @a1/store-postgres bench  (after building this package and @a1/store-redis;
// starts its own private PostgreSQL cluster and redis-server)
import { cpus } from 'node:os';
import { migrate } from '../dist/index.js';
import { findPostgresBinDir, INSTALL_HINT, startPostgresServer } from '../test/support/postgres-server.mjs';
import { startVerifiers, tally } from '../test/support/verifier-processes.mjs';
// The Redis stores' own test support starts their server; the bench only borrows it.
import { findRedisServer, startRedisServer } from '../../store-redis/test/support/redis-server.mjs';
import { benchReport } from '../../../scripts/bench/report.mjs';

const CHAINS_PER_PROCESS = Number(process.env.BENCH_CHAINS ?? 250);
const IN_FLIGHT_PER_PROCESS = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HOPS = 2;
const STORES = ['memory', 'redis', 'postgres'];

if (!findPostgresBinDir()) {
  console.error(`PostgreSQL not found; ${INSTALL_HINT}`);
  process.exit(1);
}
if (!findRedisServer()) {
  console.error('redis-server not found; run scripts/ensure-redis.sh (as root) or apt-get install redis-server');
  process.exit(1);
}

async function warmUp(verifiers) {
  await Promise.all(verifiers.map((v) => v.request({ kind: 'build', count: 100, hops: HOPS })));
  await Promise.all(verifiers.map((v) => v.request({ kind: 'authorize', concurrency: IN_FLIGHT_PER_PROCESS })));
}

async function measure(stores, verifiers) {
  const processes = verifiers.length;
  await Promise.all(verifiers.map((v) => v.request({ kind: 'build', count: CHAINS_PER_PROCESS, hops: HOPS })));
  const replies = await Promise.all(verifiers.map((v) => v.request({ kind: 'authorize', concurrency: IN_FLIGHT_PER_PROCESS })));
  const outcomes = tally(replies.flatMap((r) => r.outcomes));
  if (outcomes.ok !== processes * CHAINS_PER_PROCESS) throw new Error(`${stores}: unexpected outcomes ${JSON.stringify(outcomes)}`);
  // The processes start together; the slowest one bounds the wall time of the whole run.
  const wallMs = Math.max(...replies.map((r) => r.elapsedMs));
  return { stores, processes, perSecond: (processes * CHAINS_PER_PROCESS) / (wallMs / 1000) };
}

// Exit through 'exit' on Ctrl-C or a timeout, so the private servers are killed with us.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const postgres = await startPostgresServer();
const redis = await startRedisServer();
const rows = [];
const sets = {};
try {
  await migrate(postgres.url, { timeoutMs: 60_000 });
  sets.memory = await startVerifiers(4, { stores: 'memory' });
  sets.redis = await startVerifiers(4, { url: redis.url, stores: 'redis' });
  sets.postgres = await startVerifiers(4, { url: postgres.url, stores: 'postgres', poolSize: 16 });
  await Promise.all(STORES.map((s) => warmUp(sets[s])));
  for (let round = 0; round < ROUNDS; round++) {
    for (const processes of [1, 4]) {
      for (const stores of STORES) rows.push(await measure(stores, sets[stores].slice(0, processes)));
    }
  }
} finally {
  await Promise.all(Object.values(sets).flat().map((v) => v.close()));
  await Promise.all([postgres.stop(), redis.stop()]);
}

const report = benchReport('@a1/store-postgres', 'authorizations per second, 2-hop chains: PostgreSQL stores vs Redis and memory stores');
report.context({
  'chains per process': CHAINS_PER_PROCESS,
  'in flight per process': IN_FLIGHT_PER_PROCESS,
  rounds: ROUNDS,
  'pg pool per process': 16,
  cpu: cpus()[0]?.model ?? 'unknown',
});
report.note('best and median of the rounds; memory × 4 is four independent stores, shown for scale, not a safe deployment; the test cluster runs with fsync=off');
const rates = (stores, processes) =>
  rows.filter((r) => r.processes === processes && r.stores === stores).map((r) => r.perSecond).sort((a, b) => a - b);
const best = (r) => r[r.length - 1];
const median = (r) => r[Math.floor(r.length / 2)];
report.table(
  'auth/s',
  ['processes', 'memory best', 'memory median', 'Redis best', 'Redis median', 'PostgreSQL best', 'PostgreSQL median', 'PostgreSQL / memory', 'PostgreSQL / Redis'],
  [1, 4].map((p) => {
    const [m, r, pg] = STORES.map((s) => rates(s, p));
    return [p, best(m), median(m), best(r), median(r), best(pg), median(pg), best(pg) / best(m), best(pg) / best(r)];
  }),
);
report.done(); // no ratio target: a durable shared store's round trips are the cost, shown for scale
