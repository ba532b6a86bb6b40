import type pg from 'pg';
import { CREATE_VERSION_TABLE, MIGRATIONS, SCHEMA_VERSION, SCHEMA_VERSION_TABLE } from './migrations.js';

/** Migrators in several processes take turns on this transaction-scoped advisory lock. */
const MIGRATION_LOCK = 0x61317067; // "a1pg"

export interface SchemaStatus {
  /** Highest step recorded in the database; 0 when `a1_schema_version` does not exist. */
  version: number;
  /** The version this package needs. */
  expected: number;
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/** Thrown (wrapped in StorageFailure by the stores) when the schema cannot be used as it is. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
  constructor(
    message: string,
    readonly status: SchemaStatus,
  ) {
    super(message);
  }
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function readSchemaVersion(db: Queryable): Promise<number> {
  const exists = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [SCHEMA_VERSION_TABLE]);
  if (!exists.rows[0]?.present) return 0;
  const result = await db.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${SCHEMA_VERSION_TABLE}`);
  return result.rows[0]?.version ?? 0;
}

/** Refuses a schema that is missing, older than this package needs, or newer than it knows. */
export function checkSchemaVersion(version: number): void {
  const status = { version, expected: SCHEMA_VERSION };
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new SchemaMismatchError(
      `database schema version ${version} is newer than this @a1/store-postgres knows (${SCHEMA_VERSION}); upgrade the package rather than risk misreading rows`,
      status,
    );
  }
  throw new SchemaMismatchError(
    version === 0
      ? `the A1 store schema is not installed (no ${SCHEMA_VERSION_TABLE} table); run \`npx a1-store-postgres migrate\`, call migrate(), or construct the store with { migrate: true }`
      : `database schema version ${version} is older than this @a1/store-postgres needs (${SCHEMA_VERSION}); run \`npx a1-store-postgres migrate\``,
    status,
  );
}

/**
 * Brings the schema to this package's version in one transaction: every missing step, in order,
 * each recorded in `a1_schema_version`. Running it again does nothing. Refuses (changing nothing)
 * when the database is already at a newer version than this package knows.
 */
export async function applyMigrations(client: pg.PoolClient): Promise<MigrationResult> {
  await client.query('BEGIN');
  try {
    // DDL may take a while on a big table, but must not queue live traffic behind its table lock.
    await client.query("SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = '5s'");
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(CREATE_VERSION_TABLE);
    const from = await readSchemaVersion(client);
    if (from > SCHEMA_VERSION) checkSchemaVersion(from);
    const applied: number[] = [];
    for (const step of MIGRATIONS) {
      if (step.version <= from) continue;
      await client.query(step.sql);
      await client.query(`INSERT INTO ${SCHEMA_VERSION_TABLE} (version, description) VALUES ($1, $2)`, [step.version, step.description]);
      applied.push(step.version);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, SCHEMA_VERSION), applied };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
