import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { authorize, certFingerprint } from '@a1/core';
import { DEFAULT_SKEW_MARGIN_SECONDS, PostgresNonceStore, PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startMigratedServer } from './support/migrated-server.js';
import type { PostgresServerHandle } from './support/postgres-server.mjs';
import { buildChain, type TestChain } from './support/chains.mjs';
import { inspector, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

describe.skipIf(!hasPostgres)("core's authorize with the PostgreSQL stores", () => {
  let server: PostgresServerHandle;
  let db: pg.Client;
  let nonces: PostgresNonceStore;
  let revocations: PostgresRevocationStore;
  const verify = (c: TestChain) =>
    authorize(c.chain, { agentPk: c.agentPk, intent: c.intent, now: c.now, nonces, revocations });

  beforeAll(async () => {
    server = await startMigratedServer({ password: 'authorize-Secret-42' });
    db = await inspector(server.url);
    nonces = PostgresNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    revocations = PostgresRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await Promise.all([nonces?.close(), revocations?.close()]);
    await db?.end();
    await server?.stop();
  });

  it('accepts a fresh chain once, then refuses the replay', async () => {
    const c = buildChain({ hops: 2 });
    const receipt = await verify(c);
    expect(receipt.chainDepth).toBe(2);
    await expect(verify(c)).rejects.toMatchObject({ code: 'NonceReplay' });
  });

  it("keeps each nonce until its cert's expiry + drift + the skew margin", async () => {
    const c = buildChain({ hops: 1 });
    await verify(c);
    const cert = c.chain.certs[0]!;
    const { rows } = await db.query<{ e: string }>('SELECT extract(epoch FROM expires_at)::int8::text AS e FROM a1_nonces WHERE nonce = $1', [
      Buffer.from(cert.nonce),
    ]);
    // core's default drift is 15 s
    expect(rows[0]!.e).toBe(String(cert.expirationUnix + 15n + BigInt(DEFAULT_SKEW_MARGIN_SECONDS)));
  });

  it('refuses a revoked chain and consumes nothing', async () => {
    const c = buildChain({ hops: 2 });
    await revocations.revoke(certFingerprint(c.chain.certs[1]!));
    await expect(verify(c)).rejects.toMatchObject({ code: 'Revoked' });
    for (const cert of c.chain.certs) expect(await nonces.isConsumed(cert.nonce)).toBe(false);
  });
});
