import { RedisStoreConfigError } from './config-error.js';
import { checkRedisUrl } from './redis-client.js';

/** What `fromEnv()` reads, as plain values (parsed here, without touching the network). */
export interface RedisEnvSettings {
  url: string;
  noncePrefix?: string;
  revocationPrefix?: string;
  nonceTtlSeconds?: number;
  revocationTtlSeconds?: number;
  timeoutMs?: number;
}

export function redisSettingsFromEnv(env: Record<string, string | undefined>): RedisEnvSettings {
  const url = env.A1_REDIS_URL?.trim();
  if (!url) throw new RedisStoreConfigError('A1_REDIS_URL is not set (e.g. redis://localhost:6379/0)');
  checkRedisUrl(url);
  return {
    url,
    noncePrefix: text(env, 'A1_REDIS_NONCE_PREFIX'),
    revocationPrefix: text(env, 'A1_REDIS_REVOCATION_PREFIX'),
    nonceTtlSeconds: positive(env, 'A1_REDIS_NONCE_TTL_SECS'),
    revocationTtlSeconds: positive(env, 'A1_REDIS_REVOCATION_TTL_SECS'),
    timeoutMs: positive(env, 'A1_REDIS_TIMEOUT_MS'),
  };
}

function text(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function positive(env: Record<string, string | undefined>, name: string): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RedisStoreConfigError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}
