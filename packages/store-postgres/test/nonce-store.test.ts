import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { DEFAULT_SKEW_MARGIN_SECONDS, PostgresNonceStore, PostgresStoreConfigError } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startMigratedServer } from './support/migrated-server.js';
import type { PostgresServerHandle } from './support/postgres-server.mjs';
import { hex, inspector, nonce, outcomes, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

describe.skipIf(!hasPostgres)('PostgresNonceStore on a real PostgreSQL server', () => {
  let server: PostgresServerHandle;
  let db: pg.Client;
  let store: PostgresNonceStore;

  /** The row a nonce left, as the database holds it. */
  const row = async (n: Uint8Array, tenant = '') =>
    (
      await db.query<{ expires_unix: string | null; consumed_at: Date }>(
        'SELECT extract(epoch FROM expires_at)::int8::text AS expires_unix, consumed_at FROM a1_nonces WHERE tenant_id = $1 AND nonce = $2',
        [tenant, Buffer.from(n)],
      )
    ).rows[0];

  beforeAll(async () => {
    server = await startMigratedServer();
    db = await inspector(server.url);
    store = PostgresNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
  });
  afterAll(async () => {
    await store?.close();
    await db?.end();
    await server?.stop();
  });

  it('consumes a batch once, then refuses it', async () => {
    const batch = [nonce(), nonce(), nonce()];
    expect(await store.tryConsumeBatch(batch)).toBe(true);
    expect(await store.tryConsumeBatch(batch)).toBe(false);
    for (const n of batch) expect(await store.isConsumed(n)).toBe(true);
    expect(await store.isConsumed(nonce())).toBe(false);
  });

  it('is all-or-nothing: a batch with one consumed nonce writes none of the others', async () => {
    const used = nonce();
    expect(await store.tryConsumeBatch([used])).toBe(true);
    const fresh = [nonce(), nonce()];
    expect(await store.tryConsumeBatch([fresh[0]!, used, fresh[1]!])).toBe(false);
    for (const n of fresh) expect(await row(n)).toBeUndefined();
    expect(await store.tryConsumeBatch(fresh)).toBe(true);
    // A replay is an answer, not an error: nothing in the server's log.
    expect(server.log()).not.toMatch(/already consumed|A1R01/);
  });

  it('treats the same nonce twice in one batch as a replay and writes nothing', async () => {
    const n = nonce();
    const other = nonce();
    expect(await store.tryConsumeBatch([n, other, n])).toBe(false);
    expect(await row(n)).toBeUndefined();
    expect(await row(other)).toBeUndefined();
  });

  it('accepts an empty batch without touching the database', async () => {
    expect(await store.tryConsumeBatch([])).toBe(true);
  });

  it('lets exactly one of many concurrent consumers of one batch win', async () => {
    const batch = [nonce(), nonce()];
    const results = await outcomes(Array.from({ length: 200 }, () => store.tryConsumeBatch(batch)));
    expect(results).toEqual({ true: 1, false: 199 });
  });

  it('keeps a nonce until retainUntil plus the skew margin, on an absolute clock', async () => {
    const n = nonce();
    const retainUntil = 2_000_000_000n;
    expect(await store.tryConsumeBatch([n], { retainUntil: [retainUntil], now: 1_999_000_000n })).toBe(true);
    expect((await row(n))?.expires_unix).toBe(String(retainUntil + BigInt(DEFAULT_SKEW_MARGIN_SECONDS)));
  });

  it('keeps a nonce for good when its cert expires beyond what timestamptz holds, or no retainUntil is given', async () => {
    const [far, none] = [nonce(), nonce()];
    expect(await store.tryConsumeBatch([far], { retainUntil: [2n ** 64n - 1n], now: 1_700_000_000n })).toBe(true);
    expect(await store.tryConsumeBatch([none])).toBe(true);
    expect((await row(far))?.expires_unix).toBeNull();
    expect((await row(none))?.expires_unix).toBeNull();
  });

  it('uses defaultTtlSeconds when no retainUntil is given', async () => {
    const ttl = new PostgresNonceStore(store.pool, { defaultTtlSeconds: 600, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const n = nonce();
    const before = Math.floor(Date.now() / 1000);
    await ttl.markConsumed(n);
    const expires = Number((await row(n))?.expires_unix);
    expect(expires).toBeGreaterThanOrEqual(before + 600);
    expect(expires).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
  });

  it('markConsumed never shortens how long a nonce is kept', async () => {
    const n = nonce();
    await store.markConsumed(n, { retainUntil: 2_000_000_000n, now: 1n });
    await store.markConsumed(n, { retainUntil: 1_900_000_000n, now: 1n });
    expect((await row(n))?.expires_unix).toBe(String(2_000_000_000 + DEFAULT_SKEW_MARGIN_SECONDS));
    await store.markConsumed(n);
    expect((await row(n))?.expires_unix).toBeNull();
    expect(await store.tryConsumeBatch([n])).toBe(false);
  });

  it('keeps tenants apart', async () => {
    const acme = new PostgresNonceStore(store.pool, { tenantId: 'acme', timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const n = nonce();
    expect(await acme.tryConsumeBatch([n])).toBe(true);
    expect(await acme.tryConsumeBatch([n])).toBe(false);
    expect(await store.tryConsumeBatch([n])).toBe(true);
    expect(await row(n, 'acme')).toBeDefined();
  });

  it('purges expired rows in bounded batches and leaves live and kept-for-good rows', async () => {
    const tenant = `purge-${hex(nonce())}`;
    const purging = new PostgresNonceStore(store.pool, { tenantId: tenant, timeoutMs: SHARED_MACHINE_TIMEOUT_MS, skewMarginSeconds: 0 });
    const past = BigInt(Math.floor(Date.now() / 1000) - 3600);
    const expired = Array.from({ length: 25 }, nonce);
    for (const n of expired) await purging.markConsumed(n, { retainUntil: past, now: past });
    const live = nonce();
    await purging.markConsumed(live, { retainUntil: past + 7200n, now: past });
    const forever = nonce();
    await purging.markConsumed(forever);

    expect(await purging.purgeExpired({ batchSize: 10, maxBatches: 2 })).toBe(20);
    expect(await purging.purgeExpired({ batchSize: 10 })).toBe(5);
    expect(await purging.purgeExpired()).toBe(0);
    for (const n of expired) expect(await purging.isConsumed(n)).toBe(false);
    expect(await purging.isConsumed(live)).toBe(true);
    expect(await purging.isConsumed(forever)).toBe(true);
  });

  it('purges only its own tenant', async () => {
    const past = BigInt(Math.floor(Date.now() / 1000) - 3600);
    const a = new PostgresNonceStore(store.pool, { tenantId: `a-${hex(nonce())}`, skewMarginSeconds: 0, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const b = new PostgresNonceStore(store.pool, { tenantId: `b-${hex(nonce())}`, skewMarginSeconds: 0, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const n = nonce();
    await b.markConsumed(n, { retainUntil: past, now: past });
    expect(await a.purgeExpired()).toBe(0);
    expect(await b.isConsumed(n)).toBe(true);
  });

  it('a purge skips rows a consumer holds instead of waiting for it', async () => {
    const tenant = `held-${hex(nonce())}`;
    const purging = new PostgresNonceStore(store.pool, { tenantId: tenant, skewMarginSeconds: 0, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const past = BigInt(Math.floor(Date.now() / 1000) - 3600);
    const [held, free] = [nonce(), nonce()];
    await purging.markConsumed(held, { retainUntil: past, now: past });
    await purging.markConsumed(free, { retainUntil: past, now: past });
    // Another session locks one expired row (as a consume re-inserting it would) and keeps its transaction open.
    await db.query('BEGIN');
    await db.query('SELECT 1 FROM a1_nonces WHERE tenant_id = $1 AND nonce = $2 FOR UPDATE', [tenant, Buffer.from(held)]);
    try {
      const quick = new PostgresNonceStore(store.pool, { tenantId: tenant, timeoutMs: 5_000 });
      expect(await quick.purgeExpired()).toBe(1);
    } finally {
      await db.query('ROLLBACK');
    }
    expect(await purging.isConsumed(held)).toBe(true);
    expect(await purging.isConsumed(free)).toBe(false);
  });

  it('purges in the background when purgeIntervalMs is set', async () => {
    const tenant = `timer-${hex(nonce())}`;
    const past = BigInt(Math.floor(Date.now() / 1000) - 3600);
    const timed = new PostgresNonceStore(store.pool, { tenantId: tenant, skewMarginSeconds: 0, purgeIntervalMs: 50, timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const n = nonce();
    await timed.markConsumed(n, { retainUntil: past, now: past });
    const deadline = Date.now() + 30_000;
    while ((await timed.isConsumed(n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await timed.isConsumed(n)).toBe(false);
    expect(timed.lastPurge).toBeDefined();
    await timed.close();
  });

  it('refuses a nonce that is not 16 bytes, and a context of the wrong length', async () => {
    await expect(store.tryConsumeBatch([nonce(), new Uint8Array(15)])).rejects.toThrow(TypeError);
    await expect(store.isConsumed(new Uint8Array(32))).rejects.toThrow(TypeError);
    await expect(store.tryConsumeBatch([nonce()], { retainUntil: [], now: 0n })).rejects.toThrow(RangeError);
  });

  it('takes deadlines up to what timers and lock_timeout hold, and refuses longer ones at construction', async () => {
    const patient = new PostgresNonceStore(store.pool, { timeoutMs: 2_147_483_647 });
    expect(await patient.tryConsumeBatch([nonce()])).toBe(true);
    const ownPool = PostgresNonceStore.fromUrl(server.url, { timeoutMs: 2_147_483_647 });
    expect(await ownPool.tryConsumeBatch([nonce()])).toBe(true);
    await ownPool.close();
    expect(() => new PostgresNonceStore(store.pool, { timeoutMs: 30 * 24 * 3600 * 1000 })).toThrow(PostgresStoreConfigError);
  });

  it('is healthy when the server answers', async () => {
    const health = await store.health();
    expect(health.ok).toBe(true);
  });
});
