import type { RevocationStore } from '@a1/core';
import { RedisStoreConfigError } from './config-error.js';
import { redisSettingsFromEnv } from './env.js';
import { checkLength, FINGERPRINT_LENGTH } from './identifiers.js';
import { KeySpace } from './key-space.js';
import { createRedisClient, DEFAULT_TIMEOUT_MS, type RedisClient } from './redis-client.js';
import { RedisConnection, type RedisHealth } from './redis-connection.js';
import { isValidTtlSeconds, retentionFor, retentionUntil, type RetentionMs } from './retention.js';

export interface RedisRevocationStoreOptions {
  /** Prefix of every revocation key; must carry a `{hash tag}` on Cluster. Default `{a1:revoked}:`. */
  keyPrefix?: string;
  /** Forget a revocation after this long (once the cert has expired it no longer matters). Default: never. */
  ttlSeconds?: number;
  /** Deadline for each store operation, including the wait for a first connection. Default 1000. */
  timeoutMs?: number;
  /** Quit the client on `close()`. `fromUrl` and `fromEnv` set it; a client you pass stays yours. */
  ownsClient?: boolean;
}

/** Per-call expiry: the revocation may be forgotten after `retainUntil` (the cert's expiry + drift). */
export interface RevocationRetention {
  retainUntil: bigint;
  now: bigint;
}

export const DEFAULT_REVOCATION_PREFIX = '{a1:revoked}:';

/**
 * Revoked cert fingerprints shared by every verifier process, one key per fingerprint. There is no
 * local cache: every `isRevoked` asks Redis, so a revocation is seen by every process on its very
 * next check.
 */
export class RedisRevocationStore implements RevocationStore {
  readonly keys: KeySpace;
  private readonly connection: RedisConnection;
  private readonly defaultRetention: RetentionMs;

  constructor(client: RedisClient, options: RedisRevocationStoreOptions = {}) {
    if (!isValidTtlSeconds(options.ttlSeconds)) {
      throw new RedisStoreConfigError('ttlSeconds must be a positive number');
    }
    this.keys = new KeySpace(options.keyPrefix ?? DEFAULT_REVOCATION_PREFIX, 'revocation');
    if (client.isCluster) this.keys.requireHashTag('revocation');
    this.defaultRetention = retentionFor(options.ttlSeconds);
    this.connection = new RedisConnection(client, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.ownsClient ?? false);
  }

  static fromUrl(url: string, options: Omit<RedisRevocationStoreOptions, 'ownsClient'> = {}): RedisRevocationStore {
    const client = createRedisClient(url, options.timeoutMs);
    return new RedisRevocationStore(client, { ...options, ownsClient: true });
  }

  /** `A1_REDIS_URL`, plus `A1_REDIS_REVOCATION_PREFIX`, `A1_REDIS_REVOCATION_TTL_SECS`, `A1_REDIS_TIMEOUT_MS`. */
  static fromEnv(env: Record<string, string | undefined> = process.env): RedisRevocationStore {
    const settings = redisSettingsFromEnv(env);
    return RedisRevocationStore.fromUrl(settings.url, {
      keyPrefix: settings.revocationPrefix,
      ttlSeconds: settings.revocationTtlSeconds,
      timeoutMs: settings.timeoutMs,
    });
  }

  get client(): RedisClient {
    return this.connection.client;
  }

  async isRevoked(fingerprint: Uint8Array): Promise<boolean> {
    checkLength(fingerprint, FINGERPRINT_LENGTH, 'fingerprint');
    const key = this.keys.key(fingerprint);
    return (await this.connection.run('check revocation', (client) => client.exists(key))) === 1;
  }

  async revoke(fingerprint: Uint8Array, retention?: RevocationRetention): Promise<void> {
    await this.revokeBatch([fingerprint], retention && [retention]);
  }

  /** All fingerprints in one MULTI (one slot thanks to the hash tag), so a batch lands whole. */
  async revokeBatch(fingerprints: readonly Uint8Array[], retention?: readonly RevocationRetention[]): Promise<void> {
    fingerprints.forEach((fp) => checkLength(fp, FINGERPRINT_LENGTH, 'fingerprint'));
    if (retention && retention.length !== fingerprints.length) {
      throw new RangeError('retention must have one entry per fingerprint');
    }
    if (fingerprints.length === 0) return;
    const writes = fingerprints.map((fp, i) => {
      const r = retention?.[i];
      return { key: this.keys.key(fp), ms: r ? retentionUntil(r.retainUntil, r.now) : this.defaultRetention };
    });
    await this.connection.run('revoke', async (client) => {
      const multi = client.multi();
      for (const { key, ms } of writes) {
        if (ms === 0n) multi.set(key, '1');
        else multi.set(key, '1', 'PX', ms.toString());
      }
      const results = await multi.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
    });
  }

  health(): Promise<RedisHealth> {
    return this.connection.health();
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
