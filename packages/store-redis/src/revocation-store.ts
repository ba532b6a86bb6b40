import { inspect } from 'node:util';
import type { RevocationStore } from '@a1/core';
import { RedisStoreConfigError } from './config-error.js';
import { redisSettingsFromEnv } from './env.js';
import { checkLength, FINGERPRINT_LENGTH } from './identifiers.js';
import { DEFAULT_REVOCATION_PREFIX, type KeySpace } from './key-space.js';

import { createRedisClient, type RedisClient } from './redis-client.js';
import type { RedisHealth } from './redis-connection.js';
import { expiryAfter, expiryIn, isValidTtlSeconds, type Expiry } from './retention.js';
import { StoreBackend } from './store-backend.js';
import { resolveStoreOptions, type RedisStoreOptions } from './store-options.js';

export interface RedisRevocationStoreOptions extends RedisStoreOptions {
  /** Prefix of every revocation key; must carry a `{hash tag}` on Cluster. Default `{a1:revoked}:`. */
  keyPrefix?: string;
  /** Forget a revocation after this long (once the cert has expired it no longer matters). Default: never. */
  ttlSeconds?: number;
}

/**
 * Per-call expiry: the revocation may be forgotten after `retainUntil` (the cert's expiry + drift,
 * unix seconds) plus the store's skew margin, on Redis' clock. `now` is accepted for compatibility
 * and not used: the caller's clock must not decide how long others see the revocation.
 */
export interface RevocationRetention {
  retainUntil: bigint;
  now?: bigint;
}


export { DEFAULT_REVOCATION_PREFIX };

/**
 * Revoked cert fingerprints shared by every verifier process, one key per fingerprint. There is no
 * local cache: every `isRevoked` asks Redis, so a revocation is seen by every process on its very
 * next check.
 */
export class RedisRevocationStore implements RevocationStore {
  readonly #backend: StoreBackend;
  readonly #defaultExpiry: Expiry;
  readonly #skewMarginSeconds: number;

  constructor(client: RedisClient, options: RedisRevocationStoreOptions = {}) {
    if (!isValidTtlSeconds(options.ttlSeconds)) {
      throw new RedisStoreConfigError('ttlSeconds must be a positive number');
    }
    const resolved = resolveStoreOptions(options, DEFAULT_REVOCATION_PREFIX);
    // Revocations never recover by waiting: a lost revocation stays lost until restored.
    this.#backend = new StoreBackend(client, 'revocation', resolved, 0n);
    this.#defaultExpiry = expiryIn(options.ttlSeconds);
    this.#skewMarginSeconds = resolved.skewMarginSeconds;
  }

  static fromUrl(url: string, options: Omit<RedisRevocationStoreOptions, 'ownsClient'> = {}): RedisRevocationStore {
    const client = createRedisClient(url, options.timeoutMs);
    return new RedisRevocationStore(client, { ...options, ownsClient: true });
  }

  /** `A1_REDIS_URL` and the other `A1_REDIS_*` variables (see README), plus `options`. */
  static fromEnv(env: Record<string, string | undefined> = process.env, options: Omit<RedisRevocationStoreOptions, 'ownsClient'> = {}): RedisRevocationStore {
    const settings = redisSettingsFromEnv(env);
    return RedisRevocationStore.fromUrl(settings.url, {
      keyPrefix: settings.revocationPrefix,
      ttlSeconds: settings.revocationTtlSeconds,
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

  /** The key whose disappearance means Redis lost the revocations. */
  get markerKey(): string {
    return this.#backend.markerKey;
  }

  /** One script run: the lost-data check and the EXISTS in the same round trip. */
  async isRevoked(fingerprint: Uint8Array): Promise<boolean> {
    checkLength(fingerprint, FINGERPRINT_LENGTH, 'fingerprint');
    return (await this.#backend.call('check revocation', 'exists', [this.keys.key(fingerprint)])) === '1';
  }

  async revoke(fingerprint: Uint8Array, retention?: RevocationRetention): Promise<void> {
    await this.revokeBatch([fingerprint], retention && [retention]);
  }

  /** All fingerprints in one script (one slot thanks to the hash tag), so a batch lands whole. */
  async revokeBatch(fingerprints: readonly Uint8Array[], retention?: readonly RevocationRetention[]): Promise<void> {
    const { keys, expiries } = this.#writes(fingerprints, retention);
    if (keys.length === 0) return;
    await this.#backend.call('revoke', 'set', keys, expiries);
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
   * Arms the key space again after Redis lost its data, writing `restore` (every revocation from
   * your durable record) in the same atomic step, so no verifier sees the key space armed without
   * them. Every store on it resumes on its next call. See README, "Lost data".
   */
  async rearm(restore: { fingerprints: readonly Uint8Array[]; retention?: readonly RevocationRetention[] } = { fingerprints: [] }): Promise<void> {
    const { keys, expiries } = this.#writes(restore.fingerprints, restore.retention);
    await this.#backend.call('rearm', 'rearm', keys, expiries);
  }

  health(): Promise<RedisHealth> {
    return this.#backend.health();
  }

  close(): Promise<void> {
    return this.#backend.close();
  }

  #writes(fingerprints: readonly Uint8Array[], retention?: readonly RevocationRetention[]): { keys: string[]; expiries: Expiry[] } {
    fingerprints.forEach((fp) => checkLength(fp, FINGERPRINT_LENGTH, 'fingerprint'));
    if (retention && retention.length !== fingerprints.length) {
      throw new RangeError('retention must have one entry per fingerprint');
    }
    const keys = fingerprints.map((fp) => this.keys.key(fp));
    const expiries = fingerprints.map((_, i) => {
      const r = retention?.[i];
      return r ? expiryAfter(r.retainUntil, this.#skewMarginSeconds) : this.#defaultExpiry;
    });
    return { keys, expiries };
  }

  [inspect.custom](): string {
    return `RedisRevocationStore { ${inspect(this.#backend)} }`;
  }
}
