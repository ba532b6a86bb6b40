#!/usr/bin/env node
// a1-store-postgres migrate | status | sql — schema management for @a1/store-postgres, reading the
// database from A1_PG_URL or the PG* variables (the same as the stores' fromEnv()).
import { postgresSettingsFromEnv } from './env.js';
import { migrate, schemaStatus } from './migrate.js';
import { migrationScript, SCHEMA_VERSION } from './migrations.js';

const USAGE = `usage: a1-store-postgres <command>
  migrate   apply missing schema steps (idempotent, additive, one transaction)
  status    print the database's schema version and this package's; exit 1 unless they match
  sql       print every step as one SQL script, for applying by hand (psql -1 -f)
The database comes from A1_PG_URL (postgres://user@host:5432/db?sslmode=verify-full) or PGHOST, PGUSER, ….`;

async function main(command: string | undefined): Promise<number> {
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'sql') {
    process.stdout.write(migrationScript());
    return 0;
  }
  if (command !== 'migrate' && command !== 'status') {
    console.error(USAGE);
    return 2;
  }
  const settings = postgresSettingsFromEnv(process.env);
  if (command === 'migrate') {
    const result = await migrate(settings.connection);
    console.log(
      result.applied.length === 0
        ? `schema already at version ${result.to}; nothing to do`
        : `schema migrated from version ${result.from} to ${result.to} (applied ${result.applied.join(', ')})`,
    );
    return 0;
  }
  const status = await schemaStatus(settings.connection);
  console.log(`database schema version ${status.version}; this package needs ${SCHEMA_VERSION}`);
  if (status.version < SCHEMA_VERSION) console.log('run `a1-store-postgres migrate`');
  if (status.version > SCHEMA_VERSION) console.log('the database is newer than this package: upgrade @a1/store-postgres');
  return status.version === SCHEMA_VERSION ? 0 : 1;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`a1-store-postgres: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
