import { RedisStoreConfigError } from './config-error.js';
import { EVICTION_CHECKS, type EvictionCheck } from './eviction-policy.js';
import { DEFAULT_TIMEOUT_MS } from './redis-client.js';
import { DEFAULT_SKEW_MARGIN_SECONDS, isValidMarginSeconds } from './retention.js';

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
  /** Where `evictionCheck: 'warn'` findings go. Default `console.warn`. */
  onWarning?: (message: string) => void;
  /**
   * Arm a key space that has never been armed on its first use (writes the marker key). Default
   * true. With false a new deployment must call `rearm()` once — which also closes the one gap of
   * automatic arming: a fleet that restarts together with an emptied Redis cannot tell it from new.
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RedisStoreConfigError('timeoutMs must be a positive number');
  return {
    keyPrefix: options.keyPrefix ?? defaultPrefix,
    timeoutMs,
    ownsClient: options.ownsClient ?? false,
    evictionCheck,
    onWarning: options.onWarning ?? ((message) => console.warn(message)),
    autoArm: options.autoArm ?? true,
    skewMarginSeconds: options.skewMarginSeconds ?? DEFAULT_SKEW_MARGIN_SECONDS,
  };
}
