import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { RedisStoreConfigError } from './config-error.js';

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

/**
 * Refuses a URL that is not `redis://` or `rediss://`, naming only the part that is wrong: the URL
 * may hold a password (with a raw `@`, `:` or `/` in it, the parts after it may be the password),
 * so no part of it is echoed.
 */
export function checkRedisUrl(url: string, what = 'Redis URL'): void {
  const problem = redisUrlProblem(url);
  if (problem !== undefined) {
    throw new RedisStoreConfigError(`${what}: ${problem} (expected redis://[user:password@]host[:port][/db] or rediss://…)`);
  }
}

function redisUrlProblem(url: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]{0,15}):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss') return 'the scheme must be redis:// or rediss://';
  try {
    new URL(url);
    return undefined;
  } catch {
    // Fall through: find which part made it unparsable, without quoting it.
  }
  const rest = url.slice(scheme.length + 3);
  const at = rest.lastIndexOf('@');
  const userInfo = at < 0 ? '' : rest.slice(0, at);
  if (/[/?#]/.test(userInfo)) {
    return "the user name or password contains '/', '?' or '#': percent-encode them (%2F, %3F, %23)";
  }
  const hostPort = rest.slice(at + 1).split(/[/?#]/, 1)[0] ?? '';
  const port = /:([^:\]]*)$/.exec(hostPort)?.[1];
  if (hostPort === '' || hostPort.startsWith(':')) return 'the host is missing';
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return 'the port is not a number';
  if (userInfo.includes('@')) return "the password contains a raw '@': percent-encode it as %40";
  return 'the host part is not valid';
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
