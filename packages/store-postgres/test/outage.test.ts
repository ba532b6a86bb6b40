import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresNonceStore, PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startMigratedServer } from './support/migrated-server.js';
import type { PostgresServerHandle } from './support/postgres-server.mjs';
import { fingerprint, inspector, nonce, outcomes, printed, SHARED_MACHINE_TIMEOUT_MS, storageFailure } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until(condition: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasPostgres)('failing closed against a real PostgreSQL server', () => {
  let server: PostgresServerHandle;

  beforeAll(async () => {
    server = await startMigratedServer({ password: 'outage-secret-Pw9' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an unreachable server is a StorageFailure that names no password', async () => {
    const secret = 'unreachable-S3cret';
    const url = `postgres://a1:${secret}@127.0.0.1:${await unusedPort()}/postgres`;
    const nonces = PostgresNonceStore.fromUrl(url, { timeoutMs: 1_000 });
    const revocations = PostgresRevocationStore.fromUrl(url, { timeoutMs: 1_000 });
    const errors = [
      await storageFailure(nonces.tryConsumeBatch([nonce()])),
      await storageFailure(revocations.isRevoked(fingerprint())),
      await storageFailure(revocations.revoke(fingerprint())),
    ];
    for (const error of errors) {
      expect(error.reason).toMatch(/ECONNREFUSED|connect/);
      expect(printed(error)).not.toContain(secret);
    }
    const health = await nonces.health();
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(secret);
    await Promise.all([nonces.close(), revocations.close()]);
  });

  it('a wrong password is a StorageFailure that names neither password', async () => {
    const wrong = 'wrong-Pa55word-xyz';
    const store = PostgresNonceStore.fromUrl(`postgres://a1:${wrong}@127.0.0.1:${server.port}/postgres`, { timeoutMs: 5_000 });
    const error = await storageFailure(store.tryConsumeBatch([nonce()]));
    expect(error.reason).toMatch(/password authentication failed/);
    expect(printed(error)).not.toContain(wrong);
    expect(printed(error)).not.toContain(server.password);
    await store.close();

    // The same through a pool the caller built, with the password as an option.
    const pool = new pg.Pool({ host: '127.0.0.1', port: server.port, user: 'a1', password: wrong, database: 'postgres' });
    const revocations = new PostgresRevocationStore(pool, { timeoutMs: 5_000 });
    expect(printed(await storageFailure(revocations.revoke(fingerprint())))).not.toContain(wrong);
    await pool.end();
  });

  it('a statement blocked past the deadline fails, writes nothing, and frees its locks', async () => {
    const holder = await inspector(server.url);
    const [held, other] = [nonce(), nonce()];
    // Another transaction is inserting `held` and does not finish: a consume of it must wait.
    await holder.query('BEGIN');
    await holder.query("INSERT INTO a1_nonces (tenant_id, nonce) VALUES ('', $1)", [Buffer.from(held)]);
    // statement_timeout (set by fromUrl) ends the wait on the server…
    const store = PostgresNonceStore.fromUrl(server.url, { timeoutMs: 800 });
    await store.ready();
    const timedOut = await storageFailure(store.tryConsumeBatch([other, held]));
    expect(timedOut.reason).toMatch(/statement timeout|no answer within 800 ms/);
    // …and the client-side deadline alone ends it on a pool built without any timeout.
    const bare = new pg.Pool({ connectionString: server.url });
    const deadlineOnly = new PostgresNonceStore(bare, { timeoutMs: 800 });
    await deadlineOnly.ready();
    const late = await storageFailure(deadlineOnly.tryConsumeBatch([other, held]));
    expect(late.reason).toMatch(/no answer within 800 ms/);
    // The server gives up too (the consume's own lock_timeout): once nothing waits on a lock,
    // the holder lets go, and a statement still waiting would now have committed.
    await until(async () => {
      const waiting = await holder.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
      return waiting.rows[0].n === 0;
    }, 'the abandoned consumes to stop waiting');
    await holder.query('ROLLBACK');
    await holder.end();
    // Neither abandoned transaction committed anything: both nonces are still fresh.
    const patient = new PostgresNonceStore(store.pool, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await patient.tryConsumeBatch([other, held])).toBe(true);
    await Promise.all([store.close(), bare.end()]);
  });

  it('a hung server (accepting, never answering) fails each call by its deadline, then recovers', async () => {
    const store = PostgresNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    const impatient = new PostgresNonceStore(store.pool, { timeoutMs: 500 });
    const revocations = new PostgresRevocationStore(store.pool, { timeoutMs: 500 });
    await server.pause();
    try {
      const error = await storageFailure(impatient.tryConsumeBatch([nonce()]));
      expect(error.reason).toMatch(/no answer within 500 ms|timeout/);
      await storageFailure(revocations.isRevoked(fingerprint()));
      expect((await impatient.health()).ok).toBe(false);
    } finally {
      server.resume();
    }
    await until(async () => (await store.health()).ok, 'the server to answer again');
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    await store.close();
  });

  it('a read-only server (a replica after failover) refuses every write as StorageFailure', async () => {
    const admin = await inspector(server.url);
    await admin.query('ALTER SYSTEM SET default_transaction_read_only = on');
    await admin.query('SELECT pg_reload_conf()');
    try {
      await until(async () => {
        const probe = await inspector(server.url);
        const on = (await probe.query('SHOW default_transaction_read_only')).rows[0].default_transaction_read_only === 'on';
        await probe.end();
        return on;
      }, 'the server to turn read-only');
      const nonces = PostgresNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
      const revocations = PostgresRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
      const n = nonce();
      const failure = await storageFailure(nonces.tryConsumeBatch([n]));
      expect(failure.reason).toMatch(/read-only transaction.*the server is read-only/);
      await storageFailure(nonces.markConsumed(nonce()));
      await storageFailure(revocations.revoke(fingerprint()));
      await storageFailure(revocations.revokeBatch([fingerprint(), fingerprint()]));
      // Reads still answer (a replica can say what is revoked); nothing was consumed.
      expect(await nonces.isConsumed(n)).toBe(false);
      await Promise.all([nonces.close(), revocations.close()]);
    } finally {
      await admin.query('SET default_transaction_read_only = off');
      await admin.query('ALTER SYSTEM RESET default_transaction_read_only');
      await admin.query('SELECT pg_reload_conf()');
      await admin.end();
    }
  });

  it('kill mid-run: in-flight and later calls fail, nothing is accepted, state survives, service resumes by itself', async () => {
    const nonces = PostgresNonceStore.fromUrl(server.url, { timeoutMs: 2_000 });
    const revocations = PostgresRevocationStore.fromUrl(server.url, { timeoutMs: 2_000 });
    const before = [nonce(), nonce()];
    const revoked = fingerprint();
    expect(await nonces.tryConsumeBatch(before)).toBe(true);
    await revocations.revoke(revoked);

    // Frozen first, so these are truly in flight (sent, unanswered) when the server dies.
    const inFlightBatches = Array.from({ length: 100 }, () => [nonce(), nonce()]);
    await server.pause();
    const inFlight = outcomes([
      ...inFlightBatches.map((batch) => nonces.tryConsumeBatch(batch)),
      ...Array.from({ length: 20 }, () => revocations.isRevoked(fingerprint())),
      ...Array.from({ length: 10 }, () => revocations.revoke(fingerprint())),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    expect(await inFlight).toEqual({ StorageFailure: 130 });

    // While down, for a while (covering several connection attempts): every call fails.
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

    await server.restart();
    await until(async () => (await nonces.health()).ok && (await revocations.health()).ok, 'the stores to reconnect');
    // Durable: what was consumed and revoked before the crash still is.
    expect(await nonces.tryConsumeBatch(before)).toBe(false);
    expect(await revocations.isRevoked(revoked)).toBe(true);
    // Nothing in flight was half-done: every refused batch is still whole and fresh, once.
    expect(await outcomes(inFlightBatches.map((batch) => nonces.tryConsumeBatch(batch)))).toEqual({ true: 100 });
    expect(await outcomes(inFlightBatches.slice(0, 10).map((batch) => nonces.tryConsumeBatch(batch)))).toEqual({ false: 10 });
    await Promise.all([nonces.close(), revocations.close()]);
  });
});
