import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { A1Error } from '@a1/core';
import {
  createPostgresPool,
  PostgresNonceStore,
  PostgresRevocationStore,
  PostgresStoreConfigError,
} from '../src/index.js';
import { redact } from '../src/redaction.js';
import { toStorageFailure } from '../src/storage-failure.js';
import { printed } from './support/fixtures.js';

const SECRET = 'Hunter2-s3cr3t/x';
const URL_WITH_SECRET = `postgres://a1:${encodeURIComponent(SECRET)}@db.example:5432/a1`;

describe('redact', () => {
  it('removes user-info from postgres URLs and password= from key/value strings', () => {
    expect(redact('connect postgres://user:hunter2@10.0.0.1:5432/db failed')).toBe('connect postgres://***@10.0.0.1:5432/db failed');
    expect(redact('postgresql://:p%40ss@db.example')).toBe('postgresql://***@db.example');
    expect(redact("host=db password='a b\\'c' user=x")).toBe('host=db password=*** user=x');
  });

  it('removes known secrets wherever they appear, raw or URL-encoded', () => {
    expect(redact(`auth for ${SECRET}`, [SECRET])).toBe('auth for ***');
    expect(redact(`url had ${encodeURIComponent(SECRET)}`, [SECRET])).toBe('url had ***');
  });
});

describe('toStorageFailure', () => {
  it('is a transient StorageFailure whose message, reason and cause carry no secret, keeping the SQLSTATE', () => {
    const original = Object.assign(new Error(`password authentication failed near ${SECRET}`), { code: '28P01', query: 'secret query' });
    const failure = toStorageFailure(original, 'consume nonces', [SECRET]);
    expect(failure).toBeInstanceOf(A1Error);
    expect(failure.code).toBe('StorageFailure');
    expect(failure.transient).toBe(true);
    expect(failure.reason).toBe('postgres consume nonces: password authentication failed near ***');
    const cause = failure.cause as Error & { code?: string; query?: unknown };
    expect(cause.code).toBe('28P01');
    expect(cause.query).toBeUndefined();
    expect(printed(failure)).not.toContain(SECRET);
  });

  it('says a read-only error means a replica or a demoted primary', () => {
    const failure = toStorageFailure(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }), 'x', []);
    expect(failure.reason).toMatch(/read-only: a replica, or a primary demoted by failover/);
  });

  it('lets an A1Error through unchanged', () => {
    const replay = new A1Error('NonceReplay');
    expect(toStorageFailure(replay, 'x', [])).toBe(replay);
  });
});

describe('no password in inspect, JSON or configuration errors', () => {
  it('stores print where they point, never the password', async () => {
    const nonces = PostgresNonceStore.fromUrl(URL_WITH_SECRET, { tenantId: 'acme' });
    const revocations = PostgresRevocationStore.fromUrl(URL_WITH_SECRET);
    for (const store of [nonces, revocations]) {
      const shown = `${inspect(store, { showHidden: true, depth: Infinity })} ${JSON.stringify(store)} ${String(store)} ${printed({ store })}`;
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(encodeURIComponent(SECRET));
      expect(shown).toContain('a1@db.example:5432/a1');
    }
    expect(inspect(nonces)).toBe('PostgresNonceStore { server: a1@db.example:5432/a1, tenantId: "acme" }');
    // The pool a URL built keeps the password out of its enumerable options too.
    const pool = createPostgresPool(URL_WITH_SECRET);
    expect(`${inspect(pool, { depth: 5 })} ${JSON.stringify(pool.options)}`).not.toContain(SECRET);
    await Promise.all([nonces.close(), revocations.close(), pool.end()]);
  });

  it('a malformed URL is a config error that does not echo it', () => {
    for (const url of [`postgres://a1:${SECRET} x@db:notaport/a1`, `postgres://a1:${SECRET}@[::1/a1`]) {
      const error = (() => {
        try {
          PostgresNonceStore.fromUrl(url);
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected a config error');
      })();
      expect(error).toBeInstanceOf(PostgresStoreConfigError);
      expect(printed(error)).not.toContain(SECRET);
    }
    expect(() => PostgresNonceStore.fromUrl(`mysql://a1:${SECRET}@db/a1`)).toThrow(/must start with postgres:\/\//);
  });

  it('refuses bad options at construction', () => {
    const pool = new pg.Pool();
    expect(() => new PostgresNonceStore(pool, { timeoutMs: 0 })).toThrow(PostgresStoreConfigError);
    expect(() => new PostgresNonceStore(pool, { defaultTtlSeconds: -1 })).toThrow(PostgresStoreConfigError);
    expect(() => new PostgresRevocationStore(pool, { skewMarginSeconds: Number.NaN })).toThrow(PostgresStoreConfigError);
    expect(() => createPostgresPool(URL_WITH_SECRET, { maxConnections: 0 })).toThrow(PostgresStoreConfigError);
    void pool.end();
  });
});
