/**
 * The bucket in Redis, so N processes together stay under one account-wide quota. One Lua script
 * does the whole GCRA step atomically with Redis's own clock (TIME), and hands back only a wait in
 * milliseconds, so the processes' clocks never have to agree.
 */
import type { Cluster, Redis } from 'ioredis';
import type { RateBucket } from './rate-bucket.js';

export type RedisLike = Redis | Cluster;

export const SHARED_BUCKET_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - (burst - 1) * interval - now
if wait < 0 then wait = 0 end
if wait > maxWait then return {0, tostring(wait)} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now) + 1000)
return {1, string.format('%.3f', wait)}
`;

export interface SharedBucketOptions {
  /** An ioredis client you own (never closed here), e.g. from `@a1/store-redis`'s `createRedisClient`. */
  redis?: RedisLike;
  /** `redis://…` or `rediss://…`: a client is built the way `@a1/store-redis` builds its own (fail-fast). */
  url?: string;
  /** Redis key holding the bucket; every process sharing a quota uses the same. */
  key: string;
  /** Command timeout when the client is built from `url`. Default 1 000 ms. */
  timeoutMs?: number;
}

type ScriptClient = RedisLike & {
  a1QuotaReserve(key: string, intervalMs: string, burst: string, maxWaitMs: string): Promise<[number, string]>;
};

export class SharedRateBucket implements RateBucket {
  readonly #client: ScriptClient;
  readonly #owned: boolean;
  readonly #key: string;
  readonly #timeoutMs: number;
  #everReady: boolean;
  #connecting: Promise<void> | undefined;

  private constructor(client: RedisLike, owned: boolean, key: string, timeoutMs: number) {
    client.defineCommand('a1QuotaReserve', { numberOfKeys: 1, lua: SHARED_BUCKET_LUA });
    this.#client = client as ScriptClient;
    this.#owned = owned;
    this.#key = key;
    this.#timeoutMs = timeoutMs;
    this.#everReady = client.status === 'ready';
    // Listening also keeps ioredis from printing unhandled 'error' events.
    if (owned) client.on('error', () => undefined);
    client.once('ready', () => (this.#everReady = true));
  }

  static async open(options: SharedBucketOptions): Promise<SharedRateBucket> {
    const timeoutMs = options.timeoutMs ?? 1_000;
    if (options.redis) return new SharedRateBucket(options.redis, false, options.key, timeoutMs);
    if (!options.url) throw new TypeError('shared quota needs `redis` (a client) or `url`');
    // Built like @a1/store-redis builds its clients: same URL checks (no part echoed), fail-fast options.
    const { createRedisClient } = await import('@a1/store-redis');
    return new SharedRateBucket(createRedisClient(options.url, timeoutMs), true, options.key, timeoutMs);
  }

  /**
   * The fail-fast client refuses commands while disconnected (no offline queue), so the very first
   * call waits, boundedly, for the first connection, as @a1/store-redis's stores do.
   */
  #firstConnection(): Promise<void> | undefined {
    if (this.#everReady || this.#client.status === 'ready') return undefined;
    // One wait shared by every call queued behind it (one 'ready' listener, not one per call).
    this.#connecting ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#client.off('ready', onReady);
        this.#connecting = undefined;
        reject(new Error(`no connection to Redis within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#client.once('ready', onReady);
    });
    return this.#connecting;
  }

  async reserve(intervalMs: number, burst: number, maxWaitMs: number): Promise<number | undefined> {
    await this.#firstConnection();
    const maxWait = Number.isFinite(maxWaitMs) ? maxWaitMs : 1e12;
    const [reserved, wait] = await this.#client.a1QuotaReserve(this.#key, intervalMs.toFixed(3), String(burst), maxWait.toFixed(3));
    return reserved === 1 ? Number(wait) : undefined;
  }

  async close(): Promise<void> {
    if (this.#owned) this.#client.disconnect();
  }
}
