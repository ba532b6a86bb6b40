// A verifier process of its own: its own database pool, its own event loop. The parent drives it
// over IPC: { kind: 'authorize', chains, repeat } fires every authorize call at once and answers
// with each call's outcome; { kind: 'build', count, hops } makes chains here (for the bench,
// which then sends 'authorize' with no chains); { kind: 'revoke', fingerprints } revokes;
// { kind: 'close' } exits.
import { authorize, fromHex, MemoryNonceStore, MemoryRevocationStore } from '@a1/core';
import { PostgresNonceStore, PostgresRevocationStore } from '../../dist/index.js';
import { buildChain, chainSigners, fromWire } from './chains.mjs';

const url = process.env.A1_TEST_STORE_URL;
const kind = process.env.A1_TEST_STORES ?? 'postgres';
const memory = kind === 'memory';
// Thousands of calls start in one burst on a shared 2-core machine, so the event loop itself can
// lag by seconds: a generous deadline keeps these runs about correctness, not latency.
const timeoutMs = 240_000;
const { nonces, revocations } = await openStores();

/** The stores under test; Redis (for the bench's side-by-side) is loaded only when asked for. */
async function openStores() {
  if (memory) return { nonces: new MemoryNonceStore(), revocations: new MemoryRevocationStore() };
  if (kind === 'redis') {
    const { RedisNonceStore, RedisRevocationStore } = await import('@a1/store-redis');
    const stores = { nonces: RedisNonceStore.fromUrl(url, { timeoutMs }), revocations: RedisRevocationStore.fromUrl(url, { timeoutMs }) };
    // A fresh bench server is a new key space: arm it once, as an operator would (arm() is idempotent).
    await stores.nonces.arm();
    await stores.revocations.arm();
    return stores;
  }
  const poolSize = Number(process.env.A1_TEST_POOL_SIZE ?? 10);
  return {
    nonces: PostgresNonceStore.fromUrl(url, { timeoutMs, maxConnections: poolSize }),
    revocations: PostgresRevocationStore.fromUrl(url, { timeoutMs, maxConnections: poolSize }),
  };
}

let built = [];

const outcomeOf = (settled) =>
  settled.status === 'fulfilled' ? 'ok' : (settled.reason?.code ?? settled.reason?.name ?? 'unknown');

/** Runs the calls with at most `limit` in flight; every call's outcome, in order. */
async function settleAll(calls, limit) {
  const outcomes = new Array(calls.length);
  let next = 0;
  const lane = async () => {
    while (next < calls.length) {
      const i = next++;
      try {
        await calls[i]();
        outcomes[i] = 'ok';
      } catch (error) {
        outcomes[i] = outcomeOf({ status: 'rejected', reason: error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, calls.length) }, lane));
  return outcomes;
}

async function run(message) {
  switch (message.kind) {
    case 'ready': {
      if (!memory) {
        for (const store of [nonces, revocations]) {
          const health = await store.health();
          if (!health.ok) throw new Error(`worker cannot reach its store: ${health.reason}`);
        }
      }
      return {};
    }
    case 'build': {
      // Same keys, fresh certs: only the nonces need to be new, and key generation is not the subject.
      const signers = chainSigners(message.hops);
      built = Array.from({ length: message.count }, () => buildChain({ hops: message.hops, signers }));
      return {};
    }
    case 'authorize': {
      const chains = message.chains ? message.chains.map(fromWire) : built;
      built = [];
      const calls = [];
      for (let r = 0; r < (message.repeat ?? 1); r++) {
        for (const c of chains) {
          calls.push(() => authorize(c.chain, { agentPk: c.agentPk, intent: c.intent, now: c.now, nonces, revocations }));
        }
      }
      const started = performance.now();
      const outcomes = await settleAll(calls, message.concurrency ?? calls.length);
      return { outcomes, elapsedMs: performance.now() - started };
    }
    case 'revoke': {
      await revocations.revokeBatch(message.fingerprints.map((fp) => fromHex(fp, 'fingerprint')));
      return {};
    }
    case 'close': {
      if (!memory) await Promise.all([nonces.close(), revocations.close()]);
      setImmediate(() => process.exit(0));
      return {};
    }
    default:
      throw new Error(`unknown message ${message.kind}`);
  }
}

process.on('message', (message) => {
  run(message).then(
    (result) => process.send({ id: message.id, ok: true, ...result }),
    (error) => process.send({ id: message.id, ok: false, error: String(error?.message ?? error) }),
  );
});
// An orphaned verifier would keep reconnecting forever: leave with the parent.
process.on('disconnect', () => process.exit(0));
process.send({ kind: 'started' });
