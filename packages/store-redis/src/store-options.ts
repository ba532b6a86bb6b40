import { RedisStoreConfigError } from './config-error.js';
import { EVICTION_CHECKS, type EvictionCheck } from './eviction-policy.js';
import { DEFAULT_TIMEOUT_MS } from './redis-client.js';
import { DEFAULT_SKEW_MARGIN_SECONDS, isValidMarginSeconds } from './retention.js';

export const DEFAULT_EVICTION_RECHECK_SECONDS = 30;

/** Options both stores take. */
export interface RedisStoreOptions {
  /** Prefix of every key; must carry a `{hash tag}` on Cluster. */
  keyPrefix?: string;
  /** Deadline for each store operation, including the wait for a first connection. Default 1000. */
  timeoutMs?: number;
  /** Quit the client on `close()`. `fromUrl` and `fromEnv` set it; a client you pass stays yours. */
  ownsClient?: boolean;
  /** What to do unless Redis' `maxmemory-policy` is `noeviction`. Default `refuse`. */
  evictionCheck?: EvictionCheck;
  /**
   * Seconds a passed eviction-policy check holds; the next operation after that checks again
   * (one `CONFIG GET` per interval), so a policy changed at run time is refused. Default 30.
   */
  evictionRecheckSeconds?: number;
  /** Where `evictionCheck: 'warn'` findings go (each new finding once). Default `console.warn`. */
  onWarning?: (message: string) => void;
  /**
   * Arm a key space that has no marker on its first use. Default **false**: Redis cannot tell a
   * never-used key space from one that lost its data before any running store saw it (a FLUSHALL
   * or a restart without persistence followed by a deploy or a cold start), so arming it by itself
   * would accept replayed chains and revoked certs. A new deployment arms once instead
   * (`npx a1-store-redis arm`, or `arm()`). Set true only for development, or where a durable
   * source replays revocations and nonce loss is acceptable.
   */
  autoArm?: boolean;
  /**
   * Kept on top of a cert's expiry + drift before its nonce (or revocation) may be forgotten, to
   * cover clock skew between verifiers. Default 300.
   */
  skewMarginSeconds?: number;
}

export interface ResolvedStoreOptions {
  keyPrefix: string;
  timeoutMs: number;
  ownsClient: boolean;
  evictionCheck: EvictionCheck;
  evictionRecheckMs: number;
  onWarning: (message: string) => void;
  autoArm: boolean;
  skewMarginSeconds: number;
}

export function resolveStoreOptions(options: RedisStoreOptions, defaultPrefix: string): ResolvedStoreOptions {
  const evictionCheck = options.evictionCheck ?? 'refuse';
  if (!EVICTION_CHECKS.includes(evictionCheck)) {
    throw new RedisStoreConfigError(`evictionCheck must be one of ${EVICTION_CHECKS.join(', ')}`);
  }
  if (!isValidMarginSeconds(options.skewMarginSeconds)) {
    throw new RedisStoreConfigError('skewMarginSeconds must be a number >= 0');
  }
  const recheckSeconds = options.evictionRecheckSeconds ?? DEFAULT_EVICTION_RECHECK_SECONDS;
  if (!(Number.isFinite(recheckSeconds) && recheckSeconds >= 0)) {
    throw new RedisStoreConfigError('evictionRecheckSeconds must be a number >= 0');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RedisStoreConfigError('timeoutMs must be a positive number');
  return {
    keyPrefix: options.keyPrefix ?? defaultPrefix,
    timeoutMs,
    ownsClient: options.ownsClient ?? false,
    evictionCheck,
    evictionRecheckMs: recheckSeconds * 1000,
    onWarning: options.onWarning ?? ((message) => console.warn(message)),
    autoArm: options.autoArm ?? false,
    skewMarginSeconds: options.skewMarginSeconds ?? DEFAULT_SKEW_MARGIN_SECONDS,
  };
}
