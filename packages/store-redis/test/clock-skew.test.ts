import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '@a1/core';
import { RedisNonceStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { buildChain } from './support/chains.mjs';
import { armKeySpaces, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

// Issue 12 §5: the nonce's lifetime came from the consuming verifier's clock. A correct verifier
// consuming a chain 14 s past its expiry (inside the 15 s drift) kept the nonce 1 s, and a verifier
// whose clock is 10 s slow — which accepts that cert 10 s longer — replayed it after that second.
describe.skipIf(!hasRedisServer)('verifiers with skewed clocks share one Redis', () => {
  let server: RedisServerHandle;
  let correct: RedisNonceStore;
  let slow: RedisNonceStore;

  beforeAll(async () => {
    server = await startRedisServer();
    await armKeySpaces(server.url);
    correct = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    slow = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await Promise.all([correct?.close(), slow?.close()]);
    await server?.stop();
  });

  it('a verifier 10 s slow cannot replay a chain a correct one consumed near the end of the drift', async () => {
    const realNow = BigInt(Math.floor(Date.now() / 1000));
    // Expired 14 s ago (buildChain sets expiry = now + 3600): still inside the 15 s drift.
    const c = buildChain({ hops: 2, now: realNow - 3614n });
    const expiry = c.chain.certs[0]!.expirationUnix;
    const asSeenBy = (nonces: RedisNonceStore, now: bigint) =>
      authorize(c.chain, { agentPk: c.agentPk, intent: c.intent, now, nonces }).then(
        () => 'ok',
        (e: { code: string }) => e.code,
      );

    expect(await asSeenBy(correct, realNow)).toBe('ok');
    // The nonce must outlive the slow verifier's acceptance window (until its clock reads
    // expiry + 15 s, i.e. 11 s from now in real time), with the skew margin on top.
    const ttl = await correct.client.pttl(correct.keys.key(c.chain.certs[0]!.nonce));
    expect(ttl).toBeGreaterThan(Number(expiry + 15n - (realNow - 10n)) * 1000 + 60_000);

    // Past the moment the old code let the key expire (1 s after consumption):
    await new Promise((r) => setTimeout(r, 1_500));
    const slowNow = BigInt(Math.floor(Date.now() / 1000)) - 10n;
    expect(await asSeenBy(slow, slowNow)).toBe('NonceReplay');
  });
});
