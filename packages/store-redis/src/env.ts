import { RedisStoreConfigError } from './config-error.js';
import { EVICTION_CHECKS, type EvictionCheck } from './eviction-policy.js';
import { checkRedisUrl } from './redis-client.js';

/** What `fromEnv()` reads, as plain values (parsed here, without touching the network). */
export interface RedisEnvSettings {
  url: string;
  noncePrefix?: string;
  revocationPrefix?: string;
  nonceTtlSeconds?: number;
  revocationTtlSeconds?: number;
  nonceRecoverAfterSeconds?: number;
  /** Settings both stores take; only the variables that are set. */
  common: {
    timeoutMs?: number;
    evictionCheck?: EvictionCheck;
    evictionRecheckSeconds?: number;
    autoArm?: boolean;
    skewMarginSeconds?: number;
  };
}

export function redisSettingsFromEnv(env: Record<string, string | undefined>): RedisEnvSettings {
  const url = env.A1_REDIS_URL?.trim();
  if (!url) throw new RedisStoreConfigError('A1_REDIS_URL is not set (e.g. redis://localhost:6379/0)');
  checkRedisUrl(url, 'A1_REDIS_URL');
  const common = definedOnly({
    timeoutMs: positive(env, 'A1_REDIS_TIMEOUT_MS'),
    evictionCheck: oneOf(env, 'A1_REDIS_EVICTION_CHECK', EVICTION_CHECKS),
    evictionRecheckSeconds: nonNegative(env, 'A1_REDIS_EVICTION_RECHECK_SECS'),
    autoArm: flag(env, 'A1_REDIS_AUTO_ARM'),
    skewMarginSeconds: nonNegative(env, 'A1_REDIS_SKEW_MARGIN_SECS'),
  });
  return definedOnly({
    url,
    noncePrefix: text(env, 'A1_REDIS_NONCE_PREFIX'),
    revocationPrefix: text(env, 'A1_REDIS_REVOCATION_PREFIX'),
    nonceTtlSeconds: positive(env, 'A1_REDIS_NONCE_TTL_SECS'),
    revocationTtlSeconds: positive(env, 'A1_REDIS_REVOCATION_TTL_SECS'),
    nonceRecoverAfterSeconds: positive(env, 'A1_REDIS_NONCE_RECOVER_AFTER_SECS'),
    common,
  });
}

/** Unset variables leave no key behind, so `{ ...settings.common, ...options }` keeps defaults. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function text(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function number(env: Record<string, string | undefined>, name: string, ok: (n: number) => boolean, what: string): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !ok(n)) throw new RedisStoreConfigError(`${name} must be ${what}, got ${JSON.stringify(value)}`);
  return n;
}

const positive = (env: Record<string, string | undefined>, name: string) => number(env, name, (n) => n > 0, 'a positive number');
const nonNegative = (env: Record<string, string | undefined>, name: string) => number(env, name, (n) => n >= 0, 'a number >= 0');

function oneOf<T extends string>(env: Record<string, string | undefined>, name: string, allowed: readonly T[]): T | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RedisStoreConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function flag(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw new RedisStoreConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}
