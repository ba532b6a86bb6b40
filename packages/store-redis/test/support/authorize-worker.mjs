// A verifier process of its own: its own Redis clients, its own event loop. The parent drives it
// over IPC: { kind: 'authorize', chains, repeat } fires every authorize call at once and answers
// with each call's outcome; { kind: 'build', count, hops } makes chains here (for the bench,
// which then sends 'authorize' with no chains); { kind: 'revoke', fingerprints } revokes;
// { kind: 'close' } exits.
import { authorize, fromHex, MemoryNonceStore, MemoryRevocationStore } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '../../dist/index.js';
import { buildChain, chainSigners, fromWire } from './chains.mjs';

const url = process.env.A1_TEST_REDIS_URL;
const memory = process.env.A1_TEST_STORES === 'memory';
// Thousands of calls start in one burst on a shared 2-core machine, so the event loop itself can
// lag by seconds: a generous deadline keeps these runs about correctness, not latency.
const timeoutMs = 90_000;
const nonces = memory ? new MemoryNonceStore() : RedisNonceStore.fromUrl(url, { timeoutMs });
const revocations = memory ? new MemoryRevocationStore() : RedisRevocationStore.fromUrl(url, { timeoutMs });

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
          if (!health.ok) throw new Error(`worker cannot reach Redis: ${health.reason}`);
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
// An orphaned verifier would keep reconnecting to Redis forever: leave with the parent.
process.on('disconnect', () => process.exit(0));
process.send({ kind: 'started' });
