import type { NonceConsumeContext, NonceStore } from '@a1/core';
import { RedisStoreConfigError } from './config-error.js';
import { CONSUME_NONCES_LUA, CONSUME_NONCES_SHA1 } from './consume-nonces-script.js';
import { checkLength, NONCE_LENGTH } from './identifiers.js';
import { KeySpace } from './key-space.js';
import { createRedisClient, DEFAULT_TIMEOUT_MS, type RedisClient } from './redis-client.js';
import { RedisConnection, type RedisHealth } from './redis-connection.js';
import { redisSettingsFromEnv } from './env.js';
import { isValidTtlSeconds, retentionFor, retentionUntil, type RetentionMs } from './retention.js';

export interface RedisNonceStoreOptions {
  /** Prefix of every nonce key; must carry a `{hash tag}` on Cluster. Default `{a1:nonce}:`. */
  keyPrefix?: string;
  /** How long a nonce is kept when the caller gives no `retainUntil`. Default one day. */
  defaultTtlSeconds?: number;
  /** Deadline for each store operation, including the wait for a first connection. Default 1000. */
  timeoutMs?: number;
  /** Quit the client on `close()`. `fromUrl` and `fromEnv` set it; a client you pass stays yours. */
  ownsClient?: boolean;
}

export const DEFAULT_NONCE_PREFIX = '{a1:nonce}:';
export const DEFAULT_NONCE_TTL_SECONDS = 24 * 3600;

/**
 * Single-use nonces shared by every verifier process: `tryConsumeBatch` consumes all nonces of a
 * chain or none, atomically across processes, in one Lua script run by EVALSHA.
 */
export class RedisNonceStore implements NonceStore {
  readonly keys: KeySpace;
  private readonly connection: RedisConnection;
  private readonly defaultRetention: RetentionMs;

  constructor(client: RedisClient, options: RedisNonceStoreOptions = {}) {
    if (!isValidTtlSeconds(options.defaultTtlSeconds)) {
      throw new RedisStoreConfigError('defaultTtlSeconds must be a positive number');
    }
    this.keys = new KeySpace(options.keyPrefix ?? DEFAULT_NONCE_PREFIX, 'nonce');
    if (client.isCluster) this.keys.requireHashTag('nonce');
    this.defaultRetention = retentionFor(options.defaultTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS);
    this.connection = new RedisConnection(client, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.ownsClient ?? false);
  }

  /** A store on its own standalone client for `url`, with fail-fast client options. */
  static fromUrl(url: string, options: Omit<RedisNonceStoreOptions, 'ownsClient'> = {}): RedisNonceStore {
    const client = createRedisClient(url, options.timeoutMs);
    return new RedisNonceStore(client, { ...options, ownsClient: true });
  }

  /** `A1_REDIS_URL`, plus `A1_REDIS_NONCE_PREFIX`, `A1_REDIS_NONCE_TTL_SECS`, `A1_REDIS_TIMEOUT_MS`. */
  static fromEnv(env: Record<string, string | undefined> = process.env): RedisNonceStore {
    const settings = redisSettingsFromEnv(env);
    return RedisNonceStore.fromUrl(settings.url, {
      keyPrefix: settings.noncePrefix,
      defaultTtlSeconds: settings.nonceTtlSeconds,
      timeoutMs: settings.timeoutMs,
    });
  }

  get client(): RedisClient {
    return this.connection.client;
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
    const retention = nonces.map((_, i) => this.retention(context?.retainUntil[i], context?.now).toString());
    const fresh = await this.connection.run('consume nonces', (client) =>
      evalCached(client, keys, retention),
    );
    return fresh === 1;
  }

  async isConsumed(nonce: Uint8Array): Promise<boolean> {
    checkLength(nonce, NONCE_LENGTH, 'nonce');
    const key = this.keys.key(nonce);
    return (await this.connection.run('check nonce', (client) => client.exists(key))) === 1;
  }

  async markConsumed(nonce: Uint8Array, context?: { retainUntil: bigint; now: bigint }): Promise<void> {
    checkLength(nonce, NONCE_LENGTH, 'nonce');
    const key = this.keys.key(nonce);
    const retention = this.retention(context?.retainUntil, context?.now);
    await this.connection.run('mark nonce', (client) =>
      retention === 0n ? client.set(key, '1') : client.set(key, '1', 'PX', retention.toString()),
    );
  }

  /** PING within the store's deadline; never throws. */
  health(): Promise<RedisHealth> {
    return this.connection.health();
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private retention(retainUntil: bigint | undefined, now: bigint | undefined): RetentionMs {
    return retainUntil === undefined || now === undefined ? this.defaultRetention : retentionUntil(retainUntil, now);
  }
}

/** EVALSHA, falling back to EVAL (which caches the script) when this server has not seen it yet. */
async function evalCached(client: RedisClient, keys: string[], retention: string[]): Promise<unknown> {
  try {
    return await client.evalsha(CONSUME_NONCES_SHA1, keys.length, ...keys, ...retention);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(CONSUME_NONCES_LUA, keys.length, ...keys, ...retention);
  }
}
