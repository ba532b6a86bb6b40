import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPostgresPool, migrate, PostgresNonceStore, PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startPostgresServer, type PostgresServerHandle } from './support/postgres-server.mjs';
import { fingerprint, inspector, nonce, outcomes, printed, SHARED_MACHINE_TIMEOUT_MS, storageFailure } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

describe.skipIf(!hasPostgres)('TLS and pool limits against a real PostgreSQL server with TLS on', () => {
  let server: PostgresServerHandle;
  let db: pg.Client;
  /** Whether the backends of `applicationName` use TLS, from the server's own view (pg_stat_ssl). */
  const backends = async (applicationName: string) =>
    (
      await db.query<{ ssl: boolean }>(
        'SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = $1',
        [applicationName],
      )
    ).rows;

  beforeAll(async () => {
    server = await startPostgresServer({ tls: true, password: 'tls-Secret-77' });
    await migrate(server.url, { timeoutMs: 60_000 });
    db = await inspector(server.url);
  });
  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it('connects over TLS, verifying the server against the CA given as an option', async () => {
    const store = PostgresNonceStore.fromUrl(server.url, { ssl: { ca: server.ca }, applicationName: 'a1-tls-ca', timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    expect(await backends('a1-tls-ca')).toEqual([{ ssl: true }]);
    await store.close();
  });

  it("connects over TLS with the URL's sslmode=verify-full and sslrootcert", async () => {
    const url = `${server.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile!)}&application_name=a1-tls-url`;
    const store = PostgresRevocationStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const fp = fingerprint();
    await store.revoke(fp);
    expect(await store.isRevoked(fp)).toBe(true);
    expect(await backends('a1-tls-url')).toEqual([{ ssl: true }]);
    await store.close();
  });

  it('refuses a server whose certificate it cannot verify: StorageFailure, no password', async () => {
    const store = PostgresNonceStore.fromUrl(server.url, { ssl: true, timeoutMs: 5_000 });
    const error = await storageFailure(store.tryConsumeBatch([nonce()]));
    expect(error.reason).toMatch(/certificate|self[- ]signed|unable to verify/i);
    expect(printed(error)).not.toContain(server.password);
    await store.close();
  });

  it('opens no more connections than maxConnections, however many calls wait', async () => {
    const pool = createPostgresPool(server.url, { maxConnections: 3, applicationName: 'a1-pool-limit', ssl: { ca: server.ca }, timeoutMs: 60_000 });
    const store = new PostgresNonceStore(pool, { timeoutMs: 60_000 });
    let most = 0;
    const watching = (async () => {
      for (let i = 0; i < 200 && most <= 3; i++) {
        most = Math.max(most, (await backends('a1-pool-limit')).length);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    expect(await outcomes(Array.from({ length: 300 }, () => store.tryConsumeBatch([nonce(), nonce()])))).toEqual({ true: 300 });
    await watching;
    expect(pool.totalCount).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(3);
    await pool.end();
  });
});
