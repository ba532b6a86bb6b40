import { inspect } from 'node:util';
import type { NonceConsumeContext, NonceStore } from '@a1/core';
import { RedisStoreConfigError } from './config-error.js';
import { redisSettingsFromEnv } from './env.js';
import { checkLength, NONCE_LENGTH } from './identifiers.js';
import { DEFAULT_NONCE_PREFIX, type KeySpace } from './key-space.js';

import { createRedisClient, type RedisClient } from './redis-client.js';
import type { RedisHealth } from './redis-connection.js';
import { expiryAfter, expiryIn, isValidTtlSeconds, type Expiry } from './retention.js';
import { StoreBackend } from './store-backend.js';
import { resolveStoreOptions, type RedisStoreOptions } from './store-options.js';

export interface RedisNonceStoreOptions extends RedisStoreOptions {
  /** Prefix of every nonce key; must carry a `{hash tag}` on Cluster. Default `{a1:nonce}:`. */
  keyPrefix?: string;
  /** How long a nonce is kept when the caller gives no `retainUntil`. Default one day. */
  defaultTtlSeconds?: number;
  /**
   * After Redis lost its data, accept chains again by itself once this long has passed since the
   * loss was seen. Must be at least your longest cert lifetime + drift + `skewMarginSeconds`: every
   * cert whose nonce was lost has expired by then. Default: never (an operator calls `rearm()`).
   */
  recoverAfterSeconds?: number;
}

export const DEFAULT_NONCE_TTL_SECONDS = 24 * 3600;

export { DEFAULT_NONCE_PREFIX };

/**
 * Single-use nonces shared by every verifier process: `tryConsumeBatch` consumes all nonces of a
 * chain or none, atomically across processes, in one Lua script run by EVALSHA.
 */
export class RedisNonceStore implements NonceStore {
  readonly #backend: StoreBackend;
  readonly #defaultExpiry: Expiry;
  readonly #skewMarginSeconds: number;

  constructor(client: RedisClient, options: RedisNonceStoreOptions = {}) {
    if (!isValidTtlSeconds(options.defaultTtlSeconds)) {
      throw new RedisStoreConfigError('defaultTtlSeconds must be a positive number');
    }
    if (!isValidTtlSeconds(options.recoverAfterSeconds)) {
      throw new RedisStoreConfigError('recoverAfterSeconds must be a positive number');
    }
    const resolved = resolveStoreOptions(options, DEFAULT_NONCE_PREFIX);
    const recoverAfterMs = BigInt(Math.ceil((options.recoverAfterSeconds ?? 0) * 1000));
    this.#backend = new StoreBackend(client, 'nonce', resolved, recoverAfterMs);
    this.#defaultExpiry = expiryIn(options.defaultTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS);
    this.#skewMarginSeconds = resolved.skewMarginSeconds;
  }

  /** A store on its own standalone client for `url`, with fail-fast client options. */
  static fromUrl(url: string, options: Omit<RedisNonceStoreOptions, 'ownsClient'> = {}): RedisNonceStore {
    const client = createRedisClient(url, options.timeoutMs);
    return new RedisNonceStore(client, { ...options, ownsClient: true });
  }

  /** `A1_REDIS_URL` and the other `A1_REDIS_*` variables (see README), plus `options`. */
  static fromEnv(env: Record<string, string | undefined> = process.env, options: Omit<RedisNonceStoreOptions, 'ownsClient'> = {}): RedisNonceStore {
    const settings = redisSettingsFromEnv(env);
    return RedisNonceStore.fromUrl(settings.url, {
      keyPrefix: settings.noncePrefix,
      defaultTtlSeconds: settings.nonceTtlSeconds,
      recoverAfterSeconds: settings.nonceRecoverAfterSeconds,
      ...settings.common,
      ...options,
    });
  }

  get keys(): KeySpace {
    return this.#backend.keys;
  }

  get client(): RedisClient {
    return this.#backend.client;
  }

  /** The key whose disappearance means Redis lost the consumed nonces. */
  get markerKey(): string {
    return this.#backend.markerKey;
  }

  async tryConsumeBatch(nonces: readonly Uint8Array[], context?: NonceConsumeContext): Promise<boolean> {
    nonces.forEach((nonce) => checkLength(nonce, NONCE_LENGTH, 'nonce'));
    if (context && context.retainUntil.length !== nonces.length) {
      throw new RangeError('context.retainUntil must have one entry per nonce');
    }
    if (nonces.length === 0) return true;
    const keys = nonces.map((nonce) => this.keys.key(nonce));
    // A nonce twice in one batch would be consumed twice: that is a replay, decided here.
    if (new Set(keys).size !== keys.length) return false;
    const expiries = nonces.map((_, i) => this.#expiry(context?.retainUntil[i]));
    return (await this.#backend.call('consume nonces', 'consume', keys, expiries)) === '1';
  }

  async isConsumed(nonce: Uint8Array): Promise<boolean> {
    checkLength(nonce, NONCE_LENGTH, 'nonce');
    return (await this.#backend.call('check nonce', 'exists', [this.keys.key(nonce)])) === '1';
  }

  async markConsumed(nonce: Uint8Array, context?: { retainUntil: bigint; now: bigint }): Promise<void> {
    checkLength(nonce, NONCE_LENGTH, 'nonce');
    await this.#backend.call('mark nonce', 'set', [this.keys.key(nonce)], [this.#expiry(context?.retainUntil)]);
  }

  /**
   * First deployment: arms a key space that has no marker yet; `true` if this call armed it, `false`
   * if it already was. Run it once, as an operator step (`npx a1-store-redis arm` does it for both
   * stores), never at every start-up: Redis cannot tell a new key space from one that lost its data,
   * so a service arming itself would accept replays after a loss. A key space already known to be
   * lost stays refused (use `rearm`). See README, "Lost data".
   */
  async arm(): Promise<boolean> {
    return (await this.#backend.call('arm', 'arm', [])) === '1';
  }

  /**
   * Arms the key space again after Redis lost its data (see README, "Lost data"). Every store on
   * it resumes on its next call. Nonces consumed before the loss are gone: chains whose certs have
   * not expired yet can be replayed once more after this.
   */
  async rearm(): Promise<void> {
    await this.#backend.call('rearm', 'rearm', []);
  }

  /** Reachable, eviction policy accepted and no lost data, within the store's deadline; never throws. */
  health(): Promise<RedisHealth> {
    return this.#backend.health();
  }

  close(): Promise<void> {
    return this.#backend.close();
  }

  [inspect.custom](): string {
    return `RedisNonceStore { ${inspect(this.#backend)} }`;
  }

  /** The cert's expiry + drift (from core) + the skew margin, on Redis' clock; the default TTL without one. */
  #expiry(retainUntil: bigint | undefined): Expiry {
    return retainUntil === undefined ? this.#defaultExpiry : expiryAfter(retainUntil, this.#skewMarginSeconds);
  }
}
