import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { failFastOptions, RedisNonceStore, RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import {
  startRedisServer,
  startSentinel,
  type RedisServerHandle,
  type SentinelHandle,
} from './support/redis-server.mjs';
import { fingerprint, nonce, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

// The README's Sentinel set-up, as written: the client asks a Sentinel for the primary.
describe.skipIf(!hasRedisServer)('through Redis Sentinel', () => {
  let primary: RedisServerHandle;
  let sentinel: SentinelHandle;
  let client: Redis;

  beforeAll(async () => {
    primary = await startRedisServer({ password: 'sentinel-Primary-pw' });
    sentinel = await startSentinel(primary);
    client = new Redis({
      ...failFastOptions(SHARED_MACHINE_TIMEOUT_MS),
      sentinels: [{ host: '127.0.0.1', port: sentinel.port }],
      name: sentinel.name,
      password: primary.password,
    });
  });
  afterAll(async () => {
    client?.disconnect();
    await sentinel?.stop();
    await primary?.stop();
  });

  it('finds the primary and consumes, refuses replays and revokes', async () => {
    const nonces = new RedisNonceStore(client, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = new RedisRevocationStore(client, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    await Promise.all([nonces.arm(), revocations.arm()]);
    const batch = [nonce(), nonce()];
    expect(await nonces.tryConsumeBatch(batch)).toBe(true);
    expect(await nonces.tryConsumeBatch(batch)).toBe(false);
    const fp = fingerprint();
    await revocations.revoke(fp);
    expect(await revocations.isRevoked(fp)).toBe(true);
    expect((await nonces.health()).ok).toBe(true);
    // It really is the primary behind the Sentinel that holds the keys.
    const direct = new Redis(primary.url);
    expect(await direct.exists(nonces.keys.key(batch[0]!))).toBe(1);
    direct.disconnect();
  });

  it('fails closed when the primary is gone', async () => {
    const nonces = new RedisNonceStore(client, { timeoutMs: 500 });
    await primary.kill();
    const error = await nonces.tryConsumeBatch([nonce()]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'StorageFailure', transient: true });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(primary.password);
  });
});
