import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { authorize, certFingerprint, toHex } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { buildChain, toWire } from './support/chains.mjs';
import { startVerifiers, tally, type Verifier } from './support/verifier-processes.mjs';
import { armKeySpaces, inspector, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

const PROCESSES = 4;
const CALLS_PER_PROCESS = 2_500;

describe.skipIf(!hasRedisServer)('authorize across 4 verifier processes sharing one redis-server', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let verifiers: Verifier[] = [];
  let nonces: RedisNonceStore;
  let revocations: RedisRevocationStore;

  beforeAll(async () => {
    server = await startRedisServer();
    await armKeySpaces(server.url);
    redis = inspector(server.url);
    nonces = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    revocations = RedisRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    verifiers = await startVerifiers(PROCESSES, { url: server.url });
  });
  afterAll(async () => {
    await Promise.all(verifiers.map((v) => v.close()));
    await Promise.all([nonces?.close(), revocations?.close()]);
    redis?.disconnect();
    await server?.stop();
  });

  it(`accepts one chain exactly once out of ${PROCESSES} × ${CALLS_PER_PROCESS} concurrent authorize calls`, async () => {
    const wire = toWire(buildChain({ hops: 2 }));
    const replies = await Promise.all(
      verifiers.map((v) => v.request({ kind: 'authorize', chains: [wire], repeat: CALLS_PER_PROCESS })),
    );
    const all = replies.flatMap((r) => r.outcomes ?? []);
    expect(all).toHaveLength(PROCESSES * CALLS_PER_PROCESS);
    expect(tally(all)).toEqual({ ok: 1, NonceReplay: PROCESSES * CALLS_PER_PROCESS - 1 });
  }, 120_000); // ~6 s on an idle 2-core machine; far longer when it is shared

  it('never consumes part of a chain when chains sharing one nonce out of three race', async () => {
    const pairs = Array.from({ length: 50 }, () => {
      const shared = new Uint8Array(randomBytes(16));
      return [
        buildChain({ hops: 3, nonces: [new Uint8Array(randomBytes(16)), new Uint8Array(randomBytes(16)), shared] }),
        buildChain({ hops: 3, nonces: [shared, new Uint8Array(randomBytes(16)), new Uint8Array(randomBytes(16))] }),
      ] as const;
    });
    // Every A chain in processes 0 and 2, every B chain in 1 and 3, all at once.
    const [a0, b1, a2, b3] = await Promise.all(
      verifiers.map((v, i) => v.request({ kind: 'authorize', chains: pairs.map((p) => toWire(p[i % 2]!)) })),
    );
    for (const [i, pair] of pairs.entries()) {
      const aWins = [a0!, a2!].filter((r) => r.outcomes![i] === 'ok').length;
      const bWins = [b1!, b3!].filter((r) => r.outcomes![i] === 'ok').length;
      expect(aWins + bWins, `pair ${i}: exactly one of four attempts wins`).toBe(1);
      const [winner, loser] = aWins === 1 ? pair : [pair[1], pair[0]];
      const winnerKeys = winner.chain.certs.map((c) => nonces.keys.key(c.nonce));
      expect(await redis.exists(...winnerKeys)).toBe(3);
      const loserOnly = loser.chain.certs
        .map((c) => c.nonce)
        .filter((n) => !winner.chain.certs.some((w) => toHex(w.nonce) === toHex(n)))
        .map((n) => nonces.keys.key(n));
      expect(loserOnly).toHaveLength(2);
      expect(await redis.exists(...loserOnly), `pair ${i}: the losing chain left no key`).toBe(0);
    }
  }, 60_000);

  it("sees a revocation issued by another process on the very next authorize", async () => {
    // Revoked elsewhere, refused here.
    const first = buildChain({ hops: 2 });
    const fingerprints = first.chain.certs.map((c) => toHex(certFingerprint(c)));
    await verifiers[0]!.request({ kind: 'revoke', fingerprints: [fingerprints[1]!] });
    await expect(
      authorize(first.chain, { agentPk: first.agentPk, intent: first.intent, now: first.now, nonces, revocations }),
    ).rejects.toMatchObject({ code: 'Revoked' });

    // Revoked here, refused by every other process.
    const second = buildChain({ hops: 2 });
    await revocations.revoke(certFingerprint(second.chain.certs[0]!));
    const replies = await Promise.all(verifiers.map((v) => v.request({ kind: 'authorize', chains: [toWire(second)] })));
    expect(replies.map((r) => r.outcomes![0])).toEqual(['Revoked', 'Revoked', 'Revoked', 'Revoked']);
    // A refused chain consumed nothing.
    expect(await redis.exists(...second.chain.certs.map((c) => nonces.keys.key(c.nonce)))).toBe(0);
  });
});
