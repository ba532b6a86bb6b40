import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { authorize, certFingerprint } from '@a1/core';
import { migrate, PostgresNonceStore, PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startPostgresServer, type PostgresServerHandle } from './support/postgres-server.mjs';
import { freshDatabase, reference, REFERENCE_001_INITIAL } from './support/databases.js';
import { buildChain, type TestChain } from './support/chains.mjs';
import { fingerprint, inspector, nonce, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

// One database shared with the A1 reference's gateway: its tables (created by its own migration),
// its rows and its queries (gateway-api.md §7.2), beside this package's stores.
describe.skipIf(!hasPostgres)("one database shared with the reference's a1-pg store", () => {
  let server: PostgresServerHandle;
  let admin: pg.Client;
  let gateway: pg.Pool; // the reference's side
  let nonces: PostgresNonceStore;
  let revocations: PostgresRevocationStore;
  const verify = (c: TestChain) => authorize(c.chain, { agentPk: c.agentPk, intent: c.intent, now: c.now, nonces, revocations });
  const consumed = async (n: Uint8Array) =>
    ((await gateway.query("SELECT 1 FROM a1_nonces WHERE tenant_id = '' AND nonce = $1", [Buffer.from(n)])).rowCount ?? 0) > 0;

  beforeAll(async () => {
    server = await startPostgresServer();
    admin = await inspector(server.url);
    const url = await freshDatabase(server, admin);
    gateway = new pg.Pool({ connectionString: url, max: 20 });
    gateway.on('error', () => {});
    await gateway.query(REFERENCE_001_INITIAL);
    await migrate(url);
    nonces = PostgresNonceStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS, maxConnections: 20 });
    revocations = PostgresRevocationStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await Promise.all([nonces?.close(), revocations?.close(), gateway?.end()]);
    await admin?.end();
    await server?.stop();
  });

  it('a nonce the reference consumed is a replay here, and the chain consumes nothing else', async () => {
    const shared = nonce();
    await gateway.query("INSERT INTO a1_nonces (tenant_id, nonce) VALUES ('', $1)", [Buffer.from(shared)]);
    const c = buildChain({ hops: 3, nonces: [nonce(), shared, nonce()] });
    await expect(verify(c)).rejects.toMatchObject({ code: 'NonceReplay' });
    expect(await consumed(c.chain.certs[0]!.nonce)).toBe(false);
    expect(await consumed(c.chain.certs[2]!.nonce)).toBe(false);
  });

  it("a chain consumed here is a replay for the reference's consume transaction", async () => {
    const c = buildChain({ hops: 2 });
    await verify(c);
    const client = await gateway.connect();
    try {
      expect(await reference.consume(client, c.chain.certs.map((x) => x.nonce))).toBe(false);
      expect(await reference.consume(client, [nonce(), nonce()])).toBe(true);
    } finally {
      client.release();
    }
  });

  it('a revocation the reference wrote (one or a batch) is refused here', async () => {
    const one = buildChain({ hops: 2 });
    await reference.revoke(gateway, certFingerprint(one.chain.certs[1]!));
    await expect(verify(one)).rejects.toMatchObject({ code: 'Revoked' });
    const batch = [buildChain({ hops: 1 }), buildChain({ hops: 1 })];
    await reference.revokeBatch(gateway, batch.map((c) => certFingerprint(c.chain.certs[0]!)));
    for (const c of batch) await expect(verify(c)).rejects.toMatchObject({ code: 'Revoked' });
  });

  it("a revocation made here is seen by the reference's query", async () => {
    const [fp, expiring] = [fingerprint(), fingerprint()];
    await revocations.revoke(fp);
    await revocations.revoke(expiring, { retainUntil: 4_000_000_000n });
    expect(await reference.isRevoked(gateway, fp)).toBe(true);
    expect(await reference.isRevoked(gateway, expiring)).toBe(true);
    expect(await reference.isRevoked(gateway, fingerprint())).toBe(false);
    // and the reference writing the same fingerprint again is harmless
    await reference.revoke(gateway, fp);
    expect(await revocations.isRevoked(fp)).toBe(true);
  });

  it("racing the reference's consume on the same nonces: never both accepted, never a partial write", async () => {
    for (let i = 0; i < 50; i++) {
      const shared = nonce();
      const ours = [nonce(), shared, nonce()];
      const theirs = [shared, nonce(), nonce()];
      const client = await gateway.connect();
      let results: PromiseSettledResult<boolean>[];
      try {
        results = await Promise.allSettled([nonces.tryConsumeBatch(ours), reference.consume(client, theirs)]);
      } finally {
        client.release();
      }
      const wins = results.filter((r) => r.status === 'fulfilled' && r.value === true).length;
      expect(wins, `round ${i}: at most one side wins`).toBeLessThanOrEqual(1);
      if (results.every((r) => r.status === 'fulfilled')) expect(wins, `round ${i}`).toBe(1);
      // The loser's own two nonces were never written.
      const first = results[0]!;
      const winner = first.status === 'fulfilled' && first.value ? ours : theirs;
      const loser = winner === ours ? theirs : ours;
      const loserOnly = loser.filter((n) => n !== shared);
      for (const n of loserOnly) expect(await consumed(n), `round ${i}: losing side wrote nothing`).toBe(false);
    }
  });
});
