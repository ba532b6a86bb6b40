import { inspect } from 'node:util';
import type { Redis } from 'ioredis';
import { A1Error } from '@a1/core';
import { evictionPolicyProblem, type EvictionCheck } from './eviction-policy.js';
import { secretsOf, type RedisClient } from './redis-client.js';
import { toStorageFailure } from './storage-failure.js';

export type RedisHealth = { ok: true; latencyMs: number } | { ok: false; reason: string };

export interface ConnectionOptions {
  timeoutMs: number;
  ownsClient: boolean;
  evictionCheck: EvictionCheck;
  /** How long a passed policy check holds before the next operation checks again. */
  evictionRecheckMs: number;
  onWarning: (message: string) => void;
}

/**
 * One client as the stores use it: every operation has a deadline the store enforces itself (a
 * client built elsewhere may have no command timeout), the server's eviction policy is checked
 * before the first operation, and every failure becomes StorageFailure.
 *
 * Fields are truly private (`#`): the client's options hold the password, and `console.log(store)`
 * or `util.inspect` must not reach them.
 */
export class RedisConnection {
  readonly #client: RedisClient;
  readonly #options: ConnectionOptions;
  readonly #secrets: string[];
  #everReady: boolean;
  #firstReady: Promise<void> | undefined;
  #lastError: string | undefined;
  /** When the eviction policy last passed (performance.now()); a refusal is checked again next call. */
  #policyPassedAt: number | undefined;
  #policyCheck: Promise<void> | undefined;
  /** The finding last sent to onWarning, so 'warn' reports each new finding once. */
  #lastWarning: string | undefined;

  constructor(client: RedisClient, options: ConnectionOptions) {
    this.#client = client;
    this.#options = options;
    this.#secrets = secretsOf(client);
    this.#everReady = client.status === 'ready';
    // Kept to explain a later failure ("not connected: ECONNREFUSED"); listening also stops
    // ioredis from printing unhandled 'error' events to the console.
    client.on('error', (error: Error) => {
      this.#lastError = error.message;
    });
    client.on('ready', () => {
      this.#everReady = true;
      this.#lastError = undefined;
    });
  }

  get client(): RedisClient {
    return this.#client;
  }

  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** Runs `command` when connected and the policy is checked, within the deadline; any failure is StorageFailure. */
  async run<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.#options.timeoutMs} ms${this.#lastErrorNote()}`)),
        this.#options.timeoutMs,
      );
    });
    try {
      const work = async () => {
        await this.#connected();
        await this.#checkPolicy();
        return command(this.#client);
      };
      return await Promise.race([work(), deadline]);
    } catch (error) {
      throw toStorageFailure(error, operation, this.#secrets);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `check` within the deadline, timed; never throws. */
  async health(check: () => Promise<unknown>): Promise<RedisHealth> {
    const started = performance.now();
    try {
      await check();
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, reason: error instanceof A1Error ? error.message : 'health check failed' };
    }
  }

  /** Quits the client if the store created it; a client passed in belongs to the caller. */
  async close(): Promise<void> {
    if (!this.#options.ownsClient) return;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  /** What `console.log` shows: where, never how to log in. */
  [inspect.custom](): string {
    return `RedisConnection { ${describeServer(this.#client)}, status: ${this.#client.status} }`;
  }

  /**
   * Checked before the first operation and again once `evictionRecheckMs` has passed since the last
   * check, on the next operation (one CONFIG GET per store per interval): a `CONFIG SET
   * maxmemory-policy allkeys-lru` made while the store runs is refused from then on.
   */
  #checkPolicy(): Promise<void> {
    if (this.#options.evictionCheck === 'skip') return Promise.resolve();
    const passedAt = this.#policyPassedAt;
    if (passedAt !== undefined && performance.now() - passedAt < this.#options.evictionRecheckMs) return Promise.resolve();
    // Calls arriving together share one check rather than one CONFIG GET each.
    this.#policyCheck ??= this.#checkPolicyNow().finally(() => {
      this.#policyCheck = undefined;
    });
    return this.#policyCheck;
  }

  async #checkPolicyNow(): Promise<void> {
    const problem = await evictionPolicyProblem(this.#client);
    if (problem !== undefined) {
      if (this.#options.evictionCheck === 'refuse') {
        this.#policyPassedAt = undefined;
        throw new A1Error('StorageFailure', { reason: `refusing to use this Redis: ${problem}` });
      }
      if (problem !== this.#lastWarning) this.#options.onWarning(`@a1/store-redis: ${problem}`);
    }
    this.#lastWarning = problem;
    this.#policyPassedAt = performance.now();
  }

  #lastErrorNote(): string {
    return this.#lastError === undefined ? '' : `; last connection error: ${this.#lastError}`;
  }

  /**
   * Before the first connection a caller waits (within its deadline), so a store used right
   * after start-up works; after that, a lost connection fails at once rather than piling up.
   */
  #connected(): Promise<void> {
    const { status } = this.#client;
    if (status === 'ready') {
      this.#everReady = true;
      return Promise.resolve();
    }
    if (this.#everReady || status === 'end') {
      return Promise.reject(new Error(`not connected (${status})${this.#lastErrorNote()}`));
    }
    if (!this.#firstReady) {
      this.#firstReady = new Promise<void>((resolve) => this.#client.once('ready', () => resolve()));
      if (status === 'wait') this.#client.connect().catch(() => {});
    }
    return this.#firstReady;
  }
}

/** `host:port` (or the Sentinel/Cluster kind), for inspect output: no user, no password. */
export function describeServer(client: RedisClient): string {
  if (client.isCluster) return 'cluster';
  const { host, port, sentinels, name } = (client as Redis).options;
  if (sentinels && sentinels.length > 0) return `sentinel master ${JSON.stringify(name)}`;
  return `${host}:${port}`;
}
