import type { A1Error } from '@a1/core';
import { secretsOf, type RedisClient } from './redis-client.js';
import { toStorageFailure } from './storage-failure.js';

export type RedisHealth = { ok: true; latencyMs: number } | { ok: false; reason: string };

/**
 * One client as the stores use it: every operation has a deadline the store enforces itself (a
 * client built elsewhere may have no command timeout), and every failure becomes StorageFailure.
 */
export class RedisConnection {
  readonly client: RedisClient;
  readonly timeoutMs: number;
  private readonly ownsClient: boolean;
  private readonly secrets: string[];
  private everReady: boolean;
  private firstReady: Promise<void> | undefined;
  private lastError: string | undefined;

  constructor(client: RedisClient, timeoutMs: number, ownsClient: boolean) {
    this.client = client;
    this.timeoutMs = timeoutMs;
    this.ownsClient = ownsClient;
    this.secrets = secretsOf(client);
    this.everReady = client.status === 'ready';
    // Kept to explain a later failure ("not connected: ECONNREFUSED"); listening also stops
    // ioredis from printing unhandled 'error' events to the console.
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    client.on('ready', () => {
      this.everReady = true;
      this.lastError = undefined;
    });
  }

  /** Runs `command` when connected, within the deadline; any failure is StorageFailure. */
  async run<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.timeoutMs} ms${this.lastErrorNote()}`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.connected().then(() => command(this.client)), deadline]);
    } catch (error) {
      throw toStorageFailure(error, operation, this.secrets);
    } finally {
      clearTimeout(timer);
    }
  }

  async health(): Promise<RedisHealth> {
    const started = performance.now();
    try {
      await this.run('PING', (client) => client.ping());
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, reason: (error as A1Error).message };
    }
  }

  /** Quits the client if the store created it; a client passed in belongs to the caller. */
  async close(): Promise<void> {
    if (!this.ownsClient) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private lastErrorNote(): string {
    return this.lastError === undefined ? '' : `; last connection error: ${this.lastError}`;
  }

  /**
   * Before the first connection a caller waits (within its deadline), so a store used right
   * after start-up works; after that, a lost connection fails at once rather than piling up.
   */
  private connected(): Promise<void> {
    const { status } = this.client;
    if (status === 'ready') {
      this.everReady = true;
      return Promise.resolve();
    }
    if (this.everReady || status === 'end') {
      return Promise.reject(new Error(`not connected (${status})${this.lastErrorNote()}`));
    }
    if (!this.firstReady) {
      this.firstReady = new Promise<void>((resolve) => this.client.once('ready', () => resolve()));
      if (status === 'wait') this.client.connect().catch(() => {});
    }
    return this.firstReady;
  }
}
