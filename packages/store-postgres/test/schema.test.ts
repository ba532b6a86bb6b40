import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  migrate,
  migrationScript,
  PostgresNonceStore,
  PostgresRevocationStore,
  SCHEMA_VERSION,
  schemaStatus,
} from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startPostgresServer, type PostgresServerHandle } from './support/postgres-server.mjs';
import { freshDatabase, REFERENCE_001_INITIAL } from './support/databases.js';
import { fingerprint, inspector, nonce, SHARED_MACHINE_TIMEOUT_MS, storageFailure } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

describe.skipIf(!hasPostgres)('schema versions and migrations on a real PostgreSQL server', () => {
  let server: PostgresServerHandle;
  let admin: pg.Client;
  const clients: pg.Client[] = [];
  const connect = async (url: string) => {
    const c = await inspector(url);
    clients.push(c);
    return c;
  };
  const columns = async (db: pg.Client, table: string) =>
    (await db.query<{ c: string }>('SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 ORDER BY 1', [table])).rows.map(
      (r) => r.c,
    );

  beforeAll(async () => {
    server = await startPostgresServer();
    admin = await inspector(server.url);
  });
  afterAll(async () => {
    for (const c of clients) await c.end();
    await admin?.end();
    await server?.stop();
  });

  it('refuses to run on a database without the schema, naming the command that installs it', async () => {
    const url = await freshDatabase(server, admin);
    const store = PostgresNonceStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const error = await storageFailure(store.tryConsumeBatch([nonce()]));
    expect(error.reason).toMatch(/schema is not installed.*a1-store-postgres migrate/);
    await expect(store.ready()).rejects.toMatchObject({ code: 'StorageFailure' });
    expect((await store.health()).ok).toBe(false);
    // The check failing is not remembered: once migrated, the same store works.
    await migrate(url);
    expect(await store.tryConsumeBatch([nonce()])).toBe(true);
    await store.close();
  });

  it('migrates a fresh database once; running it again changes nothing', async () => {
    const url = await freshDatabase(server, admin);
    expect(await schemaStatus(url)).toEqual({ version: 0, expected: SCHEMA_VERSION });
    expect(await migrate(url)).toEqual({ from: 0, to: SCHEMA_VERSION, applied: [1, 2, 3] });
    expect(await migrate(url)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    expect(await schemaStatus(url)).toEqual({ version: SCHEMA_VERSION, expected: SCHEMA_VERSION });
    const db = await connect(url);
    expect(await columns(db, 'a1_nonces')).toEqual(['consumed_at', 'expires_at', 'nonce', 'prov_chain', 'tenant_id']);
    expect(await columns(db, 'a1_revocations')).toEqual(['expires_at', 'fingerprint', 'prov_chain', 'revoked_at', 'tenant_id']);
  });

  it('migrates at start when the store is built with { migrate: true }', async () => {
    const url = await freshDatabase(server, admin);
    const store = PostgresRevocationStore.fromUrl(url, { migrate: true, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const fp = fingerprint();
    await store.revoke(fp);
    expect(await store.isRevoked(fp)).toBe(true);
    expect((await schemaStatus(url)).version).toBe(SCHEMA_VERSION);
    await store.close();
  });

  it('lets several processes migrate at once: each step runs once', async () => {
    const url = await freshDatabase(server, admin);
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(url)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2, 3]);
    const db = await connect(url);
    expect((await db.query('SELECT version FROM a1_schema_version ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('refuses a newer schema than it knows, at start and in migrate, and changes nothing', async () => {
    const url = await freshDatabase(server, admin);
    await migrate(url);
    const db = await connect(url);
    await db.query("INSERT INTO a1_schema_version (version, description) VALUES (99, 'from the future')");
    const nonces = PostgresNonceStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = PostgresRevocationStore.fromUrl(url, { migrate: true, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    for (const error of [
      await storageFailure(nonces.tryConsumeBatch([nonce()])),
      await storageFailure(revocations.isRevoked(fingerprint())),
      await storageFailure(migrate(url)),
    ]) {
      expect(error.reason).toMatch(/schema version 99 is newer than this @a1\/store-postgres knows \(3\)/);
    }
    expect((await db.query('SELECT count(*)::int AS n FROM a1_nonces')).rows[0]).toEqual({ n: 0 });
    expect((await db.query('SELECT max(version) AS v FROM a1_schema_version')).rows[0]).toEqual({ v: 99 });
    await Promise.all([nonces.close(), revocations.close()]);
  });

  it("upgrades a database the reference created, keeping the reference's rows and meaning", async () => {
    const url = await freshDatabase(server, admin);
    const db = await connect(url);
    await db.query(REFERENCE_001_INITIAL);
    const [n, fp] = [nonce(), fingerprint()];
    await db.query("INSERT INTO a1_nonces (tenant_id, nonce) VALUES ('', $1)", [Buffer.from(n)]);
    await db.query("INSERT INTO a1_revocations (tenant_id, fingerprint) VALUES ('', $1)", [Buffer.from(fp)]);
    expect(await migrate(url)).toEqual({ from: 0, to: SCHEMA_VERSION, applied: [1, 2, 3] });
    // Additive only: the reference's columns are untouched, its rows are kept for good.
    expect(await columns(db, 'a1_nonces')).toEqual(['consumed_at', 'expires_at', 'nonce', 'tenant_id']);
    const rows = await db.query('SELECT expires_at FROM a1_nonces UNION ALL SELECT expires_at FROM a1_revocations');
    expect(rows.rows).toEqual([{ expires_at: null }, { expires_at: null }]);
    const nonces = PostgresNonceStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = PostgresRevocationStore.fromUrl(url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await nonces.tryConsumeBatch([n])).toBe(false);
    expect(await revocations.isRevoked(fp)).toBe(true);
    expect(await nonces.purgeExpired()).toBe(0);
    expect(await revocations.purgeExpired()).toBe(0);
    await Promise.all([nonces.close(), revocations.close()]);
  });

  it('the printed SQL script (for applying by hand) gives the same schema, and is idempotent too', async () => {
    const url = await freshDatabase(server, admin);
    const db = await connect(url);
    await db.query(migrationScript());
    await db.query(migrationScript());
    expect(await schemaStatus(url)).toEqual({ version: SCHEMA_VERSION, expected: SCHEMA_VERSION });
    expect(await migrate(url)).toMatchObject({ applied: [] });
  });
});
