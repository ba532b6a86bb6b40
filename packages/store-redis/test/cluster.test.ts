import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import {
  STORE_SCRIPT_LUA,
  failFastOptions,
  RedisNonceStore,
  RedisRevocationStore,
  RedisStoreConfigError,
} from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { fingerprint, nonce, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

// A one-node Redis Cluster owning all 16384 slots: it routes and refuses cross-slot commands
// exactly like a larger cluster, which is what the key layout has to get right.
describe.skipIf(!hasRedisServer)('on a Redis Cluster', () => {
  let server: RedisServerHandle;
  let node: Redis;
  let cluster: Cluster;

  beforeAll(async () => {
    server = await startRedisServer({ cluster: true });
    node = new Redis(server.url);
    await node.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    const deadline = Date.now() + 15_000;
    while (!String(await node.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error('one-node cluster never reached cluster_state:ok');
      await new Promise((r) => setTimeout(r, 100));
    }
    cluster = new Cluster([{ host: '127.0.0.1', port: server.port }], {
      enableOfflineQueue: false,
      redisOptions: { ...failFastOptions(SHARED_MACHINE_TIMEOUT_MS), password: server.password },
    });
  });
  afterAll(async () => {
    cluster?.disconnect();
    node?.disconnect();
    await server?.stop();
  });

  it('consumes a chain all-or-nothing: every nonce key shares the hash tag, so one script sees them all', async () => {
    const store = new RedisNonceStore(cluster, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await store.arm()).toBe(true);
    const [a, b, c] = [nonce(), nonce(), nonce()];
    expect(await store.tryConsumeBatch([a, b])).toBe(true);
    expect(await store.tryConsumeBatch([c, b])).toBe(false);
    expect(await store.isConsumed(c)).toBe(false);
    expect(await store.tryConsumeBatch([c])).toBe(true);
    const slots = await Promise.all([a, b, c].map((n) => node.call('CLUSTER', 'KEYSLOT', store.keys.key(n))));
    expect(new Set(slots).size).toBe(1);
  });

  it('revokes a batch in one script and answers isRevoked', async () => {
    const store = new RedisRevocationStore(cluster, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await store.arm()).toBe(true);
    const fps = [fingerprint(), fingerprint(), fingerprint()];
    await store.revokeBatch(fps);
    for (const fp of fps) expect(await store.isRevoked(fp)).toBe(true);
    expect(await store.isRevoked(fingerprint())).toBe(false);
  });

  it('refuses, at construction, a key prefix without a hash tag', () => {
    expect(() => new RedisNonceStore(cluster, { keyPrefix: 'a1:nonce:' })).toThrow(RedisStoreConfigError);
    expect(() => new RedisRevocationStore(cluster, { keyPrefix: 'a1:revoked:' })).toThrow(RedisStoreConfigError);
  });

  it('would need one: untagged keys of one chain land in different slots, and Cluster refuses the script', async () => {
    const keys = [nonce(), nonce(), nonce(), nonce()].map((n) => `a1:nonce:${Buffer.from(n).toString('hex')}`);
    const slots = await Promise.all(keys.map((k) => node.call('CLUSTER', 'KEYSLOT', k)));
    expect(new Set(slots).size).toBeGreaterThan(1);
    await expect(node.eval(STORE_SCRIPT_LUA, keys.length, ...keys, 'consume', '', '1', '0', 'id', ...keys.slice(1).map(() => 'in:60000'))).rejects.toThrow(
      /CROSSSLOT/,
    );
  });
});
