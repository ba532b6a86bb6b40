import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { A1Error } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { armKeySpaces, fingerprint, nonce, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

async function failure(promise: Promise<unknown>): Promise<A1Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(A1Error);
  expect((error as A1Error).code).toBe('StorageFailure');
  return error as A1Error;
}

// Issue 12 §5: under volatile-lru (ElastiCache's default) or any allkeys-* policy a full Redis
// evicts consumed nonces, and the chain is accepted again. Refuse such a server unless told.
describe.skipIf(!hasRedisServer)("Redis' maxmemory-policy is checked before the first operation, and again later", () => {
  let volatile: RedisServerHandle;
  let noConfig: RedisServerHandle;

  beforeAll(async () => {
    volatile = await startRedisServer({ extraArgs: ['--maxmemory-policy', 'volatile-lru'] });
    // What ElastiCache and MemoryDB do: CONFIG is not available to clients.
    noConfig = await startRedisServer({ extraArgs: ['--rename-command', 'CONFIG', '""'] });
    await Promise.all([armKeySpaces(volatile.url), armKeySpaces(noConfig.url)]);
  });
  afterAll(async () => {
    await volatile?.stop();
    await noConfig?.stop();
  });

  it('refuses volatile-lru by default: every call is a StorageFailure saying what to do, nothing written', async () => {
    const nonces = RedisNonceStore.fromUrl(volatile.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = RedisRevocationStore.fromUrl(volatile.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const error = await failure(nonces.tryConsumeBatch([nonce()]));
    expect(error.message).toMatch(/maxmemory-policy is "volatile-lru".*noeviction.*evictionCheck: 'warn'/);
    expect(error.message).not.toContain(volatile.password);
    await failure(revocations.isRevoked(fingerprint()));
    const health = await nonces.health();
    expect(health).toMatchObject({ ok: false });
    expect(JSON.stringify(health)).toMatch(/volatile-lru/);
    expect(await nonces.client.keys('*')).toEqual(expect.arrayContaining(['{a1:nonce}:armed', '{a1:revoked}:armed']));
    expect(await nonces.client.dbsize()).toBe(2); // the two markers of the first-deployment step, nothing else

    // Fixed on the server: the same store works on its next call, without a restart.
    await nonces.client.config('SET', 'maxmemory-policy', 'noeviction');
    expect(await nonces.tryConsumeBatch([nonce()])).toBe(true);
    await Promise.all([nonces.close(), revocations.close()]);
  });

  it('refuses allkeys-lru too, and names the policy', async () => {
    const direct = new Redis(volatile.url);
    await direct.config('SET', 'maxmemory-policy', 'allkeys-lru');
    direct.disconnect();
    const store = RedisNonceStore.fromUrl(volatile.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect((await failure(store.tryConsumeBatch([nonce()]))).message).toMatch(/"allkeys-lru"/);
    await store.close();
  });

  it("with evictionCheck: 'warn' it works and reports the finding once", async () => {
    const warnings: string[] = [];
    const store = RedisNonceStore.fromUrl(volatile.url, {
      timeoutMs: SHARED_MACHINE_TIMEOUT_MS,
      evictionCheck: 'warn',
      onWarning: (m) => warnings.push(m),
    });
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^@a1\/store-redis: maxmemory-policy is "allkeys-lru"/);
    await store.close();
  });

  it('where CONFIG is disabled (ElastiCache, MemoryDB) it refuses and says how to confirm noeviction', async () => {
    const store = RedisNonceStore.fromUrl(noConfig.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const error = await failure(store.tryConsumeBatch([nonce()]));
    expect(error.message).toMatch(/cannot read maxmemory-policy.*parameter group.*evictionCheck: 'skip'/);
    await store.close();

    const confirmed = RedisNonceStore.fromUrl(noConfig.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS, evictionCheck: 'skip' });
    expect(await confirmed.tryConsumeBatch([nonce()])).toBe(true);
    await confirmed.close();
  });

  it('passes a noeviction server (the default of a self-run Redis) without a word', async () => {
    const warnings: string[] = [];
    const direct = new Redis(volatile.url);
    await direct.config('SET', 'maxmemory-policy', 'noeviction');
    const store = RedisNonceStore.fromUrl(volatile.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS, onWarning: (m) => warnings.push(m) });
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    expect(warnings).toEqual([]);
    await store.close();
    direct.disconnect();
  });

  // Red-team L9: a policy changed while the store runs (CONFIG SET) used to go unnoticed.
  it('re-checks the policy every evictionRecheckSeconds: a later CONFIG SET allkeys-lru is refused from then on', async () => {
    const direct = new Redis(volatile.url);
    await direct.config('SET', 'maxmemory-policy', 'noeviction');
    const store = RedisNonceStore.fromUrl(volatile.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS, evictionRecheckSeconds: 0.05 });
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    await direct.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await new Promise((r) => setTimeout(r, 100)); // let the recheck interval pass (no race: a lower bound)
    expect((await failure(store.tryConsumeBatch([nonce()]))).message).toMatch(/maxmemory-policy is "allkeys-lru"/);
    expect((await failure(store.isConsumed(nonce()))).message).toMatch(/allkeys-lru/);
    expect((await store.health()).ok).toBe(false);
    // Fixed on the server: accepted again on the next call.
    await direct.config('SET', 'maxmemory-policy', 'noeviction');
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    await store.close();
    direct.disconnect();
  });

  it('the default re-check interval holds between checks: one CONFIG GET for many calls', async () => {
    const direct = new Redis(volatile.url);
    await direct.config('SET', 'maxmemory-policy', 'noeviction');
    await direct.config('RESETSTAT');
    const store = RedisNonceStore.fromUrl(volatile.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    await Promise.all(Array.from({ length: 50 }, () => store.tryConsumeBatch([nonce()])));
    for (let i = 0; i < 20; i++) await store.tryConsumeBatch([nonce()]);
    const stats = String(await direct.info('commandstats'));
    expect(/cmdstat_config\|get:calls=(\d+)/.exec(stats)?.[1] ?? /cmdstat_config:calls=(\d+)/.exec(stats)?.[1]).toBe('1');
    await store.close();
    direct.disconnect();
  });
});
