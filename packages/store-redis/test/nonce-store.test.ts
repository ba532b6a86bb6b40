import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisNonceStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { armKeySpaces, hex, inspector, nonce, outcomes, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

describe.skipIf(!hasRedisServer)('RedisNonceStore on a real redis-server', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let store: RedisNonceStore;
  const now = BigInt(Math.floor(Date.now() / 1000));

  beforeAll(async () => {
    server = await startRedisServer();
    await armKeySpaces(server.url);
    redis = inspector(server.url);
    store = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await store?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('consumes a fresh batch once, then reports the replay', async () => {
    const batch = [nonce(), nonce()];
    expect(await store.tryConsumeBatch(batch)).toBe(true);
    expect(await store.tryConsumeBatch(batch)).toBe(false);
    expect(await store.isConsumed(batch[0]!)).toBe(true);
    expect(await store.isConsumed(nonce())).toBe(false);
  });

  it('changes nothing when any nonce of the batch was already consumed', async () => {
    const [a, b, c] = [nonce(), nonce(), nonce()];
    expect(await store.tryConsumeBatch([b])).toBe(true);
    expect(await store.tryConsumeBatch([a, b, c])).toBe(false);
    expect(await redis.exists(store.keys.key(a), store.keys.key(c))).toBe(0);
    expect(await store.isConsumed(a)).toBe(false);
    expect(await store.tryConsumeBatch([a, c])).toBe(true);
  });

  it('treats a nonce repeated inside one batch as a replay and writes nothing', async () => {
    const [a, b] = [nonce(), nonce()];
    expect(await store.tryConsumeBatch([a, b, a])).toBe(false);
    expect(await redis.exists(store.keys.key(a), store.keys.key(b))).toBe(0);
  });

  it('accepts an empty batch', async () => {
    expect(await store.tryConsumeBatch([])).toBe(true);
  });

  it('stores keys under the prefix, as hex, with the hash tag', async () => {
    const n = nonce();
    await store.tryConsumeBatch([n]);
    expect(await redis.exists(`{a1:nonce}:${hex(n)}`)).toBe(1);
  });

  it('expires each nonce at its retainUntil plus the skew margin, at least one second, never for far-future certs', async () => {
    const [soon, past, forever] = [nonce(), nonce(), nonce()];
    const ok = await store.tryConsumeBatch([soon, past, forever], {
      retainUntil: [now + 60n, now - 500n, 2n ** 64n - 1n],
      now,
    });
    expect(ok).toBe(true);
    const soonTtl = await redis.pttl(store.keys.key(soon));
    // 60 s + the default 300 s margin, measured on Redis' clock (loose: the machine may be slow)
    expect(soonTtl).toBeGreaterThan(300_000);
    expect(soonTtl).toBeLessThanOrEqual(361_000);
    const pastTtl = await redis.pttl(store.keys.key(past));
    expect(pastTtl).toBeGreaterThan(0);
    expect(pastTtl).toBeLessThanOrEqual(1_000);
    const noMargin = new RedisNonceStore(store.client, { skewMarginSeconds: 0 });
    const exact = nonce();
    await noMargin.tryConsumeBatch([exact], { retainUntil: [now + 60n], now });
    expect(await redis.pttl(noMargin.keys.key(exact))).toBeLessThanOrEqual(61_000);
    expect(await redis.pttl(store.keys.key(forever))).toBe(-1);
  });

  it('uses the configured default TTL when no context is given', async () => {
    const short = new RedisNonceStore(store.client, { defaultTtlSeconds: 120 });
    const n = nonce();
    await short.tryConsumeBatch([n]);
    const ttl = await redis.pttl(short.keys.key(n));
    expect(ttl).toBeGreaterThan(110_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('forgets a nonce once its retention has passed', async () => {
    const n = nonce();
    await store.tryConsumeBatch([n], { retainUntil: [now], now });
    await redis.pexpire(store.keys.key(n), 1); // stand-in for waiting out the 1 s minimum
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.isConsumed(n)).toBe(false);
  });

  it('markConsumed makes a later batch containing the nonce fail', async () => {
    const [a, b] = [nonce(), nonce()];
    await store.markConsumed(a, { retainUntil: now + 30n, now });
    expect(await redis.pttl(store.keys.key(a))).toBeGreaterThan(300_000);
    expect(await store.tryConsumeBatch([b, a])).toBe(false);
    expect(await store.isConsumed(b)).toBe(false);
  });

  it('keeps separate prefixes apart', async () => {
    const tenant = new RedisNonceStore(store.client, { keyPrefix: '{acme:nonce}:' });
    await tenant.arm();
    const n = nonce();
    expect(await tenant.tryConsumeBatch([n])).toBe(true);
    expect(await store.tryConsumeBatch([n])).toBe(true);
    expect(await redis.exists(`{acme:nonce}:${hex(n)}`)).toBe(1);
  });

  it('reloads the script after the server forgot it (EVALSHA → NOSCRIPT → EVAL)', async () => {
    await redis.script('FLUSH');
    const batch = [nonce()];
    expect(await store.tryConsumeBatch(batch)).toBe(true);
    expect(await store.tryConsumeBatch(batch)).toBe(false);
  });

  it('refuses malformed input before touching Redis', async () => {
    await expect(store.tryConsumeBatch([new Uint8Array(15)])).rejects.toThrow(TypeError);
    await expect(store.tryConsumeBatch([nonce()], { retainUntil: [], now })).rejects.toThrow(RangeError);
  });

  it('lets exactly one of 1,000 concurrent consumers on 4 connections win', async () => {
    const stores = Array.from({ length: 4 }, () => RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS }));
    const batch = [nonce(), nonce(), nonce()];
    const counts = await outcomes(
      Array.from({ length: 1000 }, (_, i) => stores[i % 4]!.tryConsumeBatch(batch)),
    );
    expect(counts).toEqual({ true: 1, false: 999 });
    await Promise.all(stores.map((s) => s.close()));
  });

  it('never consumes part of a batch when batches sharing one nonce race', async () => {
    const stores = Array.from({ length: 4 }, () => RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS }));
    const races = Array.from({ length: 200 }, () => {
      const shared = nonce();
      return [
        [nonce(), nonce(), shared],
        [shared, nonce(), nonce()],
      ];
    });
    const results = await Promise.all(
      races.map((pair, i) => Promise.all(pair.map((batch, j) => stores[(i + j) % 4]!.tryConsumeBatch(batch)))),
    );
    for (const [i, [first, second]] of results.entries()) {
      expect(first !== second, `race ${i}: exactly one batch wins`).toBe(true);
      const [winner, loser] = first ? races[i]! : [races[i]![1]!, races[i]![0]!];
      expect(await redis.exists(...winner!.map((n) => store.keys.key(n)))).toBe(3);
      const loserOwn = loser!.filter((n) => !winner!.includes(n));
      expect(await redis.exists(...loserOwn.map((n) => store.keys.key(n)))).toBe(0);
    }
    await Promise.all(stores.map((s) => s.close()));
  });

  it('reports health', async () => {
    const health = await store.health();
    expect(health.ok).toBe(true);
  });
});
