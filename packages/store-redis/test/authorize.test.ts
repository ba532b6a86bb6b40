import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, certFingerprint } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { buildChain, type TestChain } from './support/chains.mjs';
import { armKeySpaces, outcomes, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

describe.skipIf(!hasRedisServer)("core's authorize with the Redis stores", () => {
  let server: RedisServerHandle;
  let nonces: RedisNonceStore;
  let revocations: RedisRevocationStore;
  const verify = (c: TestChain) =>
    authorize(c.chain, { agentPk: c.agentPk, intent: c.intent, now: c.now, nonces, revocations });

  beforeAll(async () => {
    server = await startRedisServer({ password: 'authorize-Secret-42' });
    await armKeySpaces(server.url);
    nonces = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    revocations = RedisRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await Promise.all([nonces?.close(), revocations?.close()]);
    await server?.stop();
  });

  it('accepts a fresh chain once, then refuses the replay', async () => {
    const c = buildChain({ hops: 2 });
    const receipt = await verify(c);
    expect(receipt.chainDepth).toBe(2);
    await expect(verify(c)).rejects.toMatchObject({ code: 'NonceReplay' });
  });

  it('keeps each nonce until its cert expires plus drift', async () => {
    const c = buildChain({ hops: 1 });
    await verify(c);
    const ttl = await nonces.client.pttl(nonces.keys.key(c.chain.certs[0]!.nonce));
    // expiry is now + 3600 s, drift 15 s, skew margin 300 s (loose lower bound: a loaded machine)
    expect(ttl).toBeGreaterThan(3_800_000);
    expect(ttl).toBeLessThanOrEqual(3_916_000);
  });

  it('refuses a revoked chain and consumes nothing', async () => {
    const c = buildChain({ hops: 2 });
    await revocations.revoke(certFingerprint(c.chain.certs[1]!));
    await expect(verify(c)).rejects.toMatchObject({ code: 'Revoked' });
    for (const cert of c.chain.certs) expect(await nonces.isConsumed(cert.nonce)).toBe(false);
  });

  it('kill mid-run: every in-flight and later authorize is a StorageFailure; the restarted empty Redis refuses until re-armed', async () => {
    expect((await verify(buildChain({ hops: 2 }))).chainDepth).toBe(2);
    const chains = Array.from({ length: 300 }, () => buildChain({ hops: 2 }));

    server.pause();
    const inFlight = outcomes(chains.slice(0, 100).map(verify));
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    expect(await inFlight).toEqual({ StorageFailure: 100 });

    const later = await outcomes(chains.slice(100, 200).map(verify));
    expect(later).toEqual({ StorageFailure: 100 });
    await new Promise((r) => setTimeout(r, 500)); // through a few reconnect attempts
    expect(await outcomes(chains.slice(200, 250).map(verify))).toEqual({ StorageFailure: 50 });

    const failure = await verify(chains[250]!).catch((e: unknown) => e as Error);
    expect(failure).toMatchObject({ code: 'StorageFailure', transient: true });
    expect(`${String(failure)} ${JSON.stringify(failure)}`).not.toContain(server.password);

    // The test server restarts empty (no persistence): every authorize stays refused, naming the
    // lost data, until an operator re-arms the stores; then service resumes.
    await server.restart();
    const deadline = Date.now() + 10_000;
    // Both stores have reconnected once each health names the loss (each has its own connection).
    const lost = async () =>
      /lost its data/.test(JSON.stringify(await nonces.health())) &&
      /lost its data/.test(JSON.stringify(await revocations.health()));
    while (Date.now() < deadline && !(await lost())) await new Promise((r) => setTimeout(r, 50));
    expect(await outcomes(chains.slice(0, 20).map(verify))).toEqual({ StorageFailure: 20 });
    await expect(verify(chains[0]!)).rejects.toThrow(/Redis lost its data/);

    await Promise.all([nonces.rearm(), revocations.rearm()]);
    expect(await outcomes(chains.slice(0, 250).map(verify))).toEqual({ ok: 250 });
    expect(await outcomes(chains.slice(0, 10).map(verify))).toEqual({ NonceReplay: 10 });
  });
});
