import { PostgresStoreConfigError } from './config-error.js';
import { checkTimeout, DEFAULT_TIMEOUT_MS, type PostgresPoolOptions } from './postgres-pool.js';

/** Options both stores take. */
export interface PostgresStoreOptions {
  /** The `tenant_id` of every row this store reads and writes. Default `''`, as the reference's gateway uses. */
  tenantId?: string;
  /** Deadline for each store operation, including the wait for a connection. Default 1000. */
  timeoutMs?: number;
  /** Apply missing migrations at start instead of refusing to run. Default `false`. */
  migrate?: boolean;
  /** Purge expired rows every this many ms in the background. Default: no timer (call `purgeExpired()`). */
  purgeIntervalMs?: number;
  /** End the pool on `close()`. `fromUrl` and `fromEnv` set it; a pool you pass stays yours. */
  ownsPool?: boolean;
}

/** `fromUrl` takes the store's options and the pool's. */
export type FromUrlOptions<T> = Omit<T, 'ownsPool'> & Omit<PostgresPoolOptions, 'timeoutMs'>;

export function checkStoreOptions(options: PostgresStoreOptions): { tenantId: string; timeoutMs: number } {
  const tenantId = options.tenantId ?? '';
  if (typeof tenantId !== 'string') throw new PostgresStoreConfigError('tenantId must be a string');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkTimeout(timeoutMs);
  return { tenantId, timeoutMs };
}

export function poolOptionsOf(options: PostgresPoolOptions & { timeoutMs?: number }): PostgresPoolOptions {
  return {
    timeoutMs: options.timeoutMs,
    maxConnections: options.maxConnections,
    ssl: options.ssl,
    applicationName: options.applicationName,
  };
}
