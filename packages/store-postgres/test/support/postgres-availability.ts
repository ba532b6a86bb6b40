import { findPostgresBinDir, INSTALL_HINT } from './postgres-server.mjs';

/** True when the real-server suites can run; they are skipped (never silently) otherwise. */
export const hasPostgres = findPostgresBinDir() !== undefined;
export const missingPostgresMessage = `PostgreSQL not found: PostgreSQL-backed suites SKIPPED; ${INSTALL_HINT}`;
