import { describe, expect, it } from 'vitest';
import { postgresSettingsFromEnv, PostgresStoreConfigError } from '../src/index.js';

describe('postgresSettingsFromEnv', () => {
  it('reads A1_PG_URL (the reference gateway variable) and the A1_PG_* settings', () => {
    expect(
      postgresSettingsFromEnv({
        A1_PG_URL: 'postgres://a1@db:5432/a1?sslmode=verify-full',
        A1_PG_TENANT_ID: 'acme',
        A1_PG_TIMEOUT_MS: '2500',
        A1_PG_POOL_MAX: '20',
        A1_PG_NONCE_TTL_SECS: '86400',
        A1_PG_REVOCATION_TTL_SECS: '600',
        A1_PG_PURGE_INTERVAL_MS: '60000',
        A1_PG_MIGRATE: 'true',
      }),
    ).toEqual({
      connection: 'postgres://a1@db:5432/a1?sslmode=verify-full',
      tenantId: 'acme',
      timeoutMs: 2500,
      maxConnections: 20,
      nonceTtlSeconds: 86400,
      revocationTtlSeconds: 600,
      purgeIntervalMs: 60000,
      migrate: true,
    });
  });

  it('falls back to the PG* variables, as libpq does', () => {
    const settings = postgresSettingsFromEnv({ PGHOST: 'db', PGPORT: '6432', PGUSER: 'a1', PGPASSWORD: 'pw', PGDATABASE: 'a1', PGSSLMODE: 'verify-full' });
    expect(settings.connection).toEqual({ host: 'db', port: 6432, user: 'a1', password: 'pw', database: 'a1', ssl: true });
    expect(postgresSettingsFromEnv({ PGHOST: 'db', PGSSLMODE: 'disable' }).connection).toMatchObject({ ssl: false });
    expect(postgresSettingsFromEnv({ PGHOST: 'db', PGSSLMODE: 'no-verify' }).connection).toMatchObject({ ssl: { rejectUnauthorized: false } });
  });

  it('refuses what it cannot use, without echoing a password', () => {
    expect(() => postgresSettingsFromEnv({})).toThrow(PostgresStoreConfigError);
    expect(() => postgresSettingsFromEnv({ A1_PG_URL: 'redis://x' })).toThrow(/postgres:\/\//);
    expect(() => postgresSettingsFromEnv({ PGHOST: 'db', PGSSLMODE: 'sometimes' })).toThrow(/PGSSLMODE/);
    expect(() => postgresSettingsFromEnv({ A1_PG_URL: 'postgres://db/a1', A1_PG_TIMEOUT_MS: '-1' })).toThrow(/A1_PG_TIMEOUT_MS/);
    expect(() => postgresSettingsFromEnv({ A1_PG_URL: 'postgres://db/a1', A1_PG_MIGRATE: 'maybe' })).toThrow(/A1_PG_MIGRATE/);
    try {
      postgresSettingsFromEnv({ A1_PG_URL: 'postgres://a1:S3cret pw@db:x/a1' });
      throw new Error('expected a config error');
    } catch (error) {
      expect(String(error)).not.toContain('S3cret');
    }
  });
});
