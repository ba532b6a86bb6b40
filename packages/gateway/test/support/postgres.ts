/** A private PostgreSQL server per suite, started by @a1/store-postgres' test helper. */
export { findPostgresBinDir, startPostgresServer, INSTALL_HINT as POSTGRES_INSTALL_HINT, type PostgresServerHandle } from '../../../store-postgres/test/support/postgres-server.mjs';
