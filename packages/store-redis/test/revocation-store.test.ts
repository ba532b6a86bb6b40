import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { armKeySpaces, fingerprint, hex, inspector, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

describe.skipIf(!hasRedisServer)('RedisRevocationStore on a real redis-server', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let store: RedisRevocationStore;

  beforeAll(async () => {
    server = await startRedisServer();
    await armKeySpaces(server.url);
    redis = inspector(server.url);
    store = RedisRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await store?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('revokes one fingerprint and keeps it for good by default', async () => {
    const fp = fingerprint();
    expect(await store.isRevoked(fp)).toBe(false);
    await store.revoke(fp);
    expect(await store.isRevoked(fp)).toBe(true);
    expect(await redis.pttl(`{a1:revoked}:${hex(fp)}`)).toBe(-1);
  });

  it('revokes a batch', async () => {
    const fps = [fingerprint(), fingerprint(), fingerprint()];
    await store.revokeBatch(fps);
    for (const fp of fps) expect(await store.isRevoked(fp)).toBe(true);
    expect(await store.isRevoked(fingerprint())).toBe(false);
  });

  it('is seen at once by another store on another connection', async () => {
    const other = RedisRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const fp = fingerprint();
    expect(await other.isRevoked(fp)).toBe(false);
    await store.revoke(fp);
    expect(await other.isRevoked(fp)).toBe(true);
    await other.close();
  });

  it('expires revocations after the configured TTL or a per-call retainUntil', async () => {
    const expiring = new RedisRevocationStore(store.client, { ttlSeconds: 600 });
    const [a, b] = [fingerprint(), fingerprint()];
    await expiring.revoke(a);
    const ttl = await redis.pttl(expiring.keys.key(a));
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    const now = BigInt(Math.floor(Date.now() / 1000));
    await store.revoke(b, { retainUntil: now + 90n, now });
    const perCall = await redis.pttl(store.keys.key(b));
    // 90 s + the 300 s skew margin, on Redis' clock (loose bounds: a loaded machine)
    expect(perCall).toBeGreaterThan(300_000);
    expect(perCall).toBeLessThanOrEqual(391_000);
  });

  it('refuses a fingerprint that is not 32 bytes', async () => {
    await expect(store.isRevoked(new Uint8Array(16))).rejects.toThrow(TypeError);
    await expect(store.revokeBatch([fingerprint(), new Uint8Array(31)])).rejects.toThrow(TypeError);
  });
});
