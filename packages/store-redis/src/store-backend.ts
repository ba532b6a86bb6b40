import { inspect } from 'node:util';
import { KeySpace } from './key-space.js';
import { LostDataGuard } from './lost-data-guard.js';
import type { RedisClient } from './redis-client.js';
import { RedisConnection, type RedisHealth } from './redis-connection.js';
import type { Expiry } from './retention.js';
import { STORE_SCRIPT_LUA, STORE_SCRIPT_SHA1, type StoreOperation } from './store-script.js';
import type { ResolvedStoreOptions } from './store-options.js';

/**
 * What both stores stand on: their key space, the lost-data guard and the connection. Every
 * operation is one run of the store script, so the lost-data check costs no extra round trip.
 */
export class StoreBackend {
  readonly keys: KeySpace;
  readonly #guard: LostDataGuard;
  readonly #connection: RedisConnection;

  constructor(client: RedisClient, what: 'nonce' | 'revocation', options: ResolvedStoreOptions, recoverAfterMs: bigint) {
    this.keys = new KeySpace(options.keyPrefix, what);
    if (client.isCluster) this.keys.requireHashTag(what);
    this.#guard = new LostDataGuard(this.keys.prefix, what, { autoArm: options.autoArm, recoverAfterMs });
    this.#connection = new RedisConnection(client, options);
  }

  get client(): RedisClient {
    return this.#connection.client;
  }

  get markerKey(): string {
    return this.#guard.markerKey;
  }

  /** Runs `op` on `keys` (one expiry each for writes) behind the marker check; '1' or '0'. */
  call(operation: string, op: StoreOperation, keys: readonly string[], expiries: readonly Expiry[] = []): Promise<string> {
    return this.#connection.run(operation, async (client) => {
      const allKeys = [this.#guard.markerKey, ...keys];
      const args = [...this.#guard.scriptArgs(op), ...expiries];
      return this.#guard.settle(await evalCached(client, allKeys, args));
    });
  }

  /** Reachable, eviction policy accepted, key space not lost — without touching a nonce. */
  health(): Promise<RedisHealth> {
    return this.#connection.health(() => this.call('health check', 'check', []));
  }

  close(): Promise<void> {
    return this.#connection.close();
  }

  [inspect.custom](): string {
    return `StoreBackend { prefix: ${JSON.stringify(this.keys.prefix)}, connection: ${inspect(this.#connection)} }`;
  }
}

/** EVALSHA, falling back to EVAL (which caches the script) when this server has not seen it yet. */
async function evalCached(client: RedisClient, keys: string[], args: string[]): Promise<unknown> {
  try {
    return await client.evalsha(STORE_SCRIPT_SHA1, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(STORE_SCRIPT_LUA, keys.length, ...keys, ...args);
  }
}
