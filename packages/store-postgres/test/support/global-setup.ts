import { findPostgresBinDir, INSTALL_HINT } from './postgres-server.mjs';

/**
 * Without PostgreSQL the real-server suites skip and say so loudly; under CI=true that is a
 * failure, because a CI run that tested no PostgreSQL proves nothing about PostgreSQL.
 */
export default function setup(): void {
  if (findPostgresBinDir()) return;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and PostgreSQL (initdb, pg_ctl, postgres) is not installed; ${INSTALL_HINT}`);
  }
  console.warn(`\n*** @a1/store-postgres: PostgreSQL not found: PostgreSQL-backed suites SKIPPED; ${INSTALL_HINT} ***\n`);
}
