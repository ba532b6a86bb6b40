import { inspect } from 'node:util';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { A1Error } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { armKeySpaces, fingerprint, nonce, outcomes, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

/** Everything a logger might print about an error, cause included. */
const printed = (error: unknown) => `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;

async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function storageFailure(promise: Promise<unknown>): Promise<A1Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected a StorageFailure, got success');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(A1Error);
  expect((error as A1Error).code).toBe('StorageFailure');
  expect((error as A1Error).transient).toBe(true);
  return error as A1Error;
}

describe.skipIf(!hasRedisServer)('failing closed against a real redis-server', () => {
  let server: RedisServerHandle;

  beforeAll(async () => {
    server = await startRedisServer({ password: 'outage-secret-Pw9' });
    await armKeySpaces(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an unreachable Redis is a StorageFailure that names no password', async () => {
    const secret = 'unreachable-S3cret';
    const url = `redis://:${secret}@127.0.0.1:${await unusedPort()}/0`;
    const nonces = RedisNonceStore.fromUrl(url, { timeoutMs: 300 });
    const revocations = RedisRevocationStore.fromUrl(url, { timeoutMs: 300 });
    const errors = [
      await storageFailure(nonces.tryConsumeBatch([nonce()])),
      await storageFailure(revocations.isRevoked(fingerprint())),
    ];
    for (const error of errors) expect(printed(error)).not.toContain(secret);
    const health = await nonces.health();
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(secret);
    await Promise.all([nonces.close(), revocations.close()]);
  });

  it('a wrong password is a StorageFailure that names neither password', async () => {
    const wrong = 'wrong-Pa55word-xyz';
    const store = RedisNonceStore.fromUrl(`redis://:${wrong}@127.0.0.1:${server.port}/0`, { timeoutMs: 500 });
    const error = await storageFailure(store.tryConsumeBatch([nonce()]));
    expect(error.reason).toMatch(/WRONGPASS|NOAUTH|invalid/i);
    expect(printed(error)).not.toContain(wrong);
    expect(printed(error)).not.toContain(server.password);
    await store.close();

    // The same through a client the caller built, with the password as an option.
    const client = new Redis({ host: '127.0.0.1', port: server.port, password: wrong, maxRetriesPerRequest: 0 });
    const revocations = new RedisRevocationStore(client, { timeoutMs: 500 });
    expect(printed(await storageFailure(revocations.revoke(fingerprint())))).not.toContain(wrong);
    client.disconnect();
  });

  it('a store used right after start-up waits for its first connection', async () => {
    const store = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(store.client.status).not.toBe('ready');
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    await store.close();
  });

  it('a hung Redis (accepting, never answering) fails each call by its deadline', async () => {
    const store = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    const impatient = new RedisNonceStore(store.client, { timeoutMs: 300 });
    server.pause();
    try {
      const error = await storageFailure(impatient.tryConsumeBatch([nonce()]));
      expect(error.reason).toMatch(/no answer within 300 ms|timed out/);
      expect((await impatient.health()).ok).toBe(false);
    } finally {
      server.resume();
    }
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    await store.close();
  });

  it('kill mid-run: in-flight and later calls fail, nothing is accepted, the restarted empty Redis is seen as lost data until re-armed', async () => {
    const nonces = RedisNonceStore.fromUrl(server.url, { timeoutMs: 1_000 });
    const revocations = RedisRevocationStore.fromUrl(server.url, { timeoutMs: 1_000 });
    expect(await nonces.tryConsumeBatch([nonce()])).toBe(true);
    expect(await revocations.isRevoked(fingerprint())).toBe(false);

    // Frozen first, so these are truly in flight (sent, unanswered) when the process dies.
    server.pause();
    const inFlight = outcomes([
      ...Array.from({ length: 100 }, () => nonces.tryConsumeBatch([nonce(), nonce()])),
      ...Array.from({ length: 20 }, () => revocations.isRevoked(fingerprint())),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    expect(await inFlight).toEqual({ StorageFailure: 120 });

    // While down, for a while (covering several reconnect attempts): every call fails.
    const downUntil = Date.now() + 1_500;
    let attempts = 0;
    while (Date.now() < downUntil) {
      const counts = await outcomes([
        nonces.tryConsumeBatch([nonce()]),
        revocations.isRevoked(fingerprint()),
        revocations.revoke(fingerprint()),
      ]);
      expect(counts).toEqual({ StorageFailure: 3 });
      attempts += 3;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(attempts).toBeGreaterThan(9);
    const health = await nonces.health();
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(server.password);

    // The test server restarts empty (no persistence): the stores must see that and stay closed
    // until an operator re-arms them, not resume as if nothing had been lost.
    await server.restart();
    const back = Date.now() + 10_000;
    const lost = async () => /lost its data/.test(JSON.stringify(await nonces.health()));
    while (!(await lost()) && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
    const afterRestart = await storageFailure(nonces.tryConsumeBatch([nonce()]));
    expect(afterRestart.message).toMatch(/Redis lost its data: revocations and consumed nonces are gone/);
    while (!/lost its data/.test(JSON.stringify(await revocations.health())) && Date.now() < back) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await storageFailure(revocations.isRevoked(fingerprint()));

    await Promise.all([nonces.rearm(), revocations.rearm()]);
    const batch = [nonce(), nonce()];
    expect(await nonces.tryConsumeBatch(batch)).toBe(true);
    expect(await nonces.tryConsumeBatch(batch)).toBe(false);
    const fp = fingerprint();
    await revocations.revoke(fp);
    expect(await revocations.isRevoked(fp)).toBe(true);
    await Promise.all([nonces.close(), revocations.close()]);
  });
});
