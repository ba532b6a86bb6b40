import { findRedisServer, INSTALL_HINT } from './redis-server.mjs';

/** True when the real-server suites can run; they are skipped (never silently) otherwise. */
export const hasRedisServer = findRedisServer() !== undefined;
export const missingRedisMessage = `redis-server not found: Redis-backed suites SKIPPED; ${INSTALL_HINT}`;
