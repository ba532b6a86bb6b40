import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pgModule from 'pg';
import type pg from 'pg';
import { PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startMigratedServer } from './support/migrated-server.js';
import type { PostgresServerHandle } from './support/postgres-server.mjs';
import { fingerprint, hex, inspector, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

describe.skipIf(!hasPostgres)('PostgresRevocationStore on a real PostgreSQL server', () => {
  let server: PostgresServerHandle;
  let db: pg.Client;
  let store: PostgresRevocationStore;

  const expiresUnix = async (fp: Uint8Array, tenant = '') =>
    (
      await db.query<{ expires_unix: string | null }>(
        'SELECT extract(epoch FROM expires_at)::int8::text AS expires_unix FROM a1_revocations WHERE tenant_id = $1 AND fingerprint = $2',
        [tenant, Buffer.from(fp)],
      )
    ).rows[0]?.expires_unix;

  beforeAll(async () => {
    server = await startMigratedServer();
    db = await inspector(server.url);
    store = PostgresRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await store?.close();
    await db?.end();
    await server?.stop();
  });

  it('revokes one fingerprint and keeps it for good by default', async () => {
    const fp = fingerprint();
    expect(await store.isRevoked(fp)).toBe(false);
    await store.revoke(fp);
    expect(await store.isRevoked(fp)).toBe(true);
    expect(await expiresUnix(fp)).toBeNull();
  });

  it('revokes a batch in one statement, duplicates included', async () => {
    const fps = [fingerprint(), fingerprint(), fingerprint()];
    await store.revokeBatch([...fps, fps[0]!]);
    for (const fp of fps) expect(await store.isRevoked(fp)).toBe(true);
    expect(await store.isRevoked(fingerprint())).toBe(false);
  });

  it("answers for a whole chain's fingerprints in one query", async () => {
    const [a, b, c] = [fingerprint(), fingerprint(), fingerprint()];
    await store.revoke(b);
    await store.ready();
    const queries = vi.spyOn(pgModule.Client.prototype, 'query');
    try {
      expect(await store.revokedAmong([a, b, c])).toEqual([false, true, false]);
      expect(queries).toHaveBeenCalledTimes(1);
    } finally {
      queries.mockRestore();
    }
    expect(await store.revokedAmong([])).toEqual([]);
  });

  it('is seen at once by another store on another pool', async () => {
    const other = PostgresRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const fp = fingerprint();
    expect(await other.isRevoked(fp)).toBe(false);
    await store.revoke(fp);
    expect(await other.isRevoked(fp)).toBe(true);
    await other.close();
  });

  it('expires revocations after the configured TTL or a per-call retainUntil plus the skew margin', async () => {
    const expiring = new PostgresRevocationStore(store.pool, { ttlSeconds: 600, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const [a, b] = [fingerprint(), fingerprint()];
    const before = Math.floor(Date.now() / 1000);
    await expiring.revoke(a);
    const ttl = Number(await expiresUnix(a));
    expect(ttl).toBeGreaterThanOrEqual(before + 600);
    expect(ttl).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
    await store.revoke(b, { retainUntil: 2_000_000_000n, now: 1_000_000n });
    expect(await expiresUnix(b)).toBe(String(2_000_000_000 + 300));
  });

  it('a second revocation never shortens the first', async () => {
    const fp = fingerprint();
    await store.revoke(fp, { retainUntil: 2_000_000_000n });
    await store.revoke(fp, { retainUntil: 1_900_000_000n });
    expect(await expiresUnix(fp)).toBe(String(2_000_000_000 + 300));
    await store.revoke(fp);
    expect(await expiresUnix(fp)).toBeNull();
    await store.revoke(fp, { retainUntil: 1_900_000_000n });
    expect(await expiresUnix(fp)).toBeNull();
  });

  it('lists a tenant\'s revocations for audit, page by page, oldest first', async () => {
    const tenant = `audit-${hex(fingerprint())}`;
    const audited = new PostgresRevocationStore(store.pool, { tenantId: tenant, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const fps = Array.from({ length: 7 }, fingerprint);
    for (const fp of fps) await audited.revoke(fp, { retainUntil: 2_000_000_000n });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await audited.list({ limit: 3, ...(after ? { after } : {}) });
      pages++;
      for (const r of page.revocations) {
        seen.push(hex(r.fingerprint));
        expect(r.revokedAt).toBeInstanceOf(Date);
        expect(r.expiresAt?.getTime()).toBe((2_000_000_000 + 300) * 1000);
      }
      after = page.next;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(fps.map(hex));
    await expect(audited.list({ after: 'garbage' })).rejects.toThrow(RangeError);
  });

  it('purges expired revocations and keeps the rest', async () => {
    const tenant = `purge-${hex(fingerprint())}`;
    const purging = new PostgresRevocationStore(store.pool, { tenantId: tenant, skewMarginSeconds: 0, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const past = BigInt(Math.floor(Date.now() / 1000) - 60);
    const [old, live, forever] = [fingerprint(), fingerprint(), fingerprint()];
    await purging.revoke(old, { retainUntil: past });
    await purging.revoke(live, { retainUntil: past + 3600n });
    await purging.revoke(forever);
    expect(await purging.isRevoked(old)).toBe(true); // honoured until purged
    expect(await purging.purgeExpired()).toBe(1);
    expect(await purging.revokedAmong([old, live, forever])).toEqual([false, true, true]);
  });

  it('refuses a fingerprint that is not 32 bytes', async () => {
    await expect(store.isRevoked(new Uint8Array(16))).rejects.toThrow(TypeError);
    await expect(store.revokeBatch([fingerprint(), new Uint8Array(31)])).rejects.toThrow(TypeError);
    await expect(store.revokeBatch([fingerprint()], [])).rejects.toThrow(RangeError);
  });
});
