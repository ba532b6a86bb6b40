/**
 * A private redis-server per suite, started by @a1/store-redis' test helper (a free loopback port,
 * a password, no persistence). Missing redis-server fails the suite under CI=true.
 */
export { findRedisServer, startRedisServer, INSTALL_HINT, type RedisServerHandle } from '../../../store-redis/test/support/redis-server.mjs';
