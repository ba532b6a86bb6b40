import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { RedisStoreConfigError } from './config-error.js';
import { redact } from './redaction.js';

/** Any ioredis client the stores accept: standalone, Sentinel-managed or Cluster. */
export type RedisClient = Redis | Cluster;

export const DEFAULT_TIMEOUT_MS = 1_000;

/**
 * Options that make a dead or hung Redis fail fast instead of queueing forever:
 * - no offline queue, so a command issued while disconnected is refused at once (the stores wait,
 *   boundedly, only for the very first connection);
 * - no retry or automatic resend of a command whose reply was lost: resending a nonce script that
 *   did run would report a replay for a chain that was in fact just accepted;
 * - a command timeout, and reconnection forever with a capped back-off so service resumes.
 * Use them for clients you build yourself (Sentinel, Cluster `redisOptions`) too.
 */
export function failFastOptions(timeoutMs: number = DEFAULT_TIMEOUT_MS): RedisOptions {
  return {
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 2_000),
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
  };
}

/** A standalone client for `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
export function createRedisClient(url: string, timeoutMs?: number, overrides: RedisOptions = {}): Redis {
  checkRedisUrl(url);
  return new Redis(url, { ...failFastOptions(timeoutMs), ...overrides });
}

export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisStoreConfigError(`not a valid Redis URL: ${redact(url, passwordsIn(url))}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RedisStoreConfigError(
      `Redis URL must start with redis:// or rediss://, got ${JSON.stringify(parsed.protocol)}`,
    );
  }
}

/** Secrets a client was configured with, so error text can be scrubbed of them. */
export function secretsOf(client: RedisClient): string[] {
  const secrets: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length > 0) secrets.push(value);
  };
  const options = client.options as RedisOptions & { redisOptions?: RedisOptions };
  for (const o of [options, options.redisOptions]) {
    if (!o) continue;
    add(o.password);
    add(o.sentinelPassword);
  }
  return secrets;
}

/** Best effort for strings that are not valid URLs: whatever sits between "://user:" and "@". */
function passwordsIn(url: string): string[] {
  const match = /:\/\/[^:@/]*:([^@]*)@/.exec(url);
  return match?.[1] ? [match[1]] : [];
}
