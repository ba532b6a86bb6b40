import { findRedisServer, INSTALL_HINT } from './redis-server.mjs';

/**
 * Without redis-server the real-server suites skip and say so loudly; under CI=true that is a
 * failure, because a CI run that tested no Redis proves nothing about Redis.
 */
export default function setup(): void {
  if (findRedisServer()) return;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and redis-server is not installed; ${INSTALL_HINT}`);
  }
  console.warn(`\n*** @a1/store-redis: redis-server not found: Redis-backed suites SKIPPED; ${INSTALL_HINT} ***\n`);
}
