import pg from 'pg';
import { PostgresConnection } from './postgres-connection.js';
import { createPostgresPool, type PostgresConnectionSettings, type PostgresPoolOptions } from './postgres-pool.js';
import { readSchemaVersion, type MigrationResult, type SchemaStatus } from './schema.js';
import { SCHEMA_VERSION } from './migrations.js';

type Target = pg.Pool | string | PostgresConnectionSettings;

/**
 * Brings the database's schema to this package's version: creates the reference's tables when
 * absent, adds the expiry columns, records each step. Idempotent, additive, one transaction;
 * refuses a newer schema. Failures are `StorageFailure` with the reason, no password in it.
 */
export async function migrate(target: Target, options: PostgresPoolOptions = {}): Promise<MigrationResult> {
  return withConnection(target, options, (connection) => connection.migrate(Math.max(options.timeoutMs ?? 0, 600_000)));
}

/** The schema version recorded in the database (0 when none) and the one this package needs. */
export async function schemaStatus(target: Target, options: PostgresPoolOptions = {}): Promise<SchemaStatus> {
  return withConnection(target, options, async (connection) => {
    const version = await connection.runUnchecked('schema status', (client) => readSchemaVersion(client));
    return { version, expected: SCHEMA_VERSION };
  });
}

async function withConnection<T>(target: Target, options: PostgresPoolOptions, use: (c: PostgresConnection) => Promise<T>): Promise<T> {
  const owns = !(target instanceof pg.Pool);
  const pool = target instanceof pg.Pool ? target : createPostgresPool(target, { ...options, timeoutMs: options.timeoutMs ?? 10_000 });
  const connection = new PostgresConnection(pool, { timeoutMs: options.timeoutMs ?? 10_000, ownsPool: owns, migrate: false });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
