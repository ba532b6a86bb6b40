import type { A1Error } from '@a1/core';
import type pg from 'pg';
import { describeServer, secretsOf } from './postgres-pool.js';
import { redact } from './redaction.js';
import { applyMigrations, checkSchemaVersion, readSchemaVersion, type MigrationResult } from './schema.js';
import { toStorageFailure } from './storage-failure.js';

export type PostgresHealth = { ok: true; latencyMs: number } | { ok: false; reason: string };

/**
 * One pool as the stores use it: every operation has a deadline the store enforces itself (a
 * pool built elsewhere may have no timeouts, and a hung server answers nothing), every failure
 * becomes StorageFailure, and no operation runs before the schema has been checked.
 */
export class PostgresConnection {
  readonly #pool: pg.Pool;
  readonly timeoutMs: number;
  readonly #ownsPool: boolean;
  readonly #secrets: string[];
  readonly #migrate: boolean;
  #schemaChecked: Promise<void> | undefined;
  #lastError: string | undefined;
  #closed = false;

  constructor(pool: pg.Pool, options: { timeoutMs: number; ownsPool: boolean; migrate: boolean }) {
    this.#pool = pool;
    this.timeoutMs = options.timeoutMs;
    this.#ownsPool = options.ownsPool;
    this.#migrate = options.migrate;
    this.#secrets = secretsOf(pool);
    // An idle connection that dies (server restart, network) is reported here; without a listener
    // Node would crash the process on the unhandled 'error' event.
    pool.on('error', (error: Error) => {
      this.#lastError = redact(error.message, this.#secrets);
    });
  }

  get pool(): pg.Pool {
    return this.#pool;
  }

  /** `user@host:port/database`, never the password. */
  get server(): string {
    return describeServer(this.#pool);
  }

  /**
   * Checks (or, with `migrate`, brings) the schema to this package's version. Success is kept;
   * a failure is not, so a store started while the database was down recovers by itself.
   */
  ready(): Promise<void> {
    if (!this.#schemaChecked) {
      const attempt = this.withClient('schema check', async (client) => {
        if (this.#migrate) await applyMigrations(client);
        checkSchemaVersion(await readSchemaVersion(client));
      }, Math.max(this.timeoutMs, this.#migrate ? 60_000 : 0));
      this.#schemaChecked = attempt;
      attempt.catch(() => {
        if (this.#schemaChecked === attempt) this.#schemaChecked = undefined;
      });
    }
    return this.#schemaChecked;
  }

  /** Runs `work` on one pooled connection within the deadline, after the schema check. */
  async run<T>(operation: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready();
    return this.withClient(operation, work);
  }

  /** Runs `work` within the deadline without the schema check (for reading the schema itself). */
  runUnchecked<T>(operation: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(operation, work);
  }

  /** `migrate()` on this connection's pool, with a deadline fit for DDL. */
  migrate(timeoutMs = 600_000): Promise<MigrationResult> {
    return this.withClient('migrate', (client) => applyMigrations(client), timeoutMs);
  }

  async health(): Promise<PostgresHealth> {
    const started = performance.now();
    try {
      await this.run('health check', (client) => client.query('SELECT 1'));
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, reason: (error as A1Error).message };
    }
  }

  /** Ends the pool if the store created it; a pool passed in belongs to the caller. */
  async close(): Promise<void> {
    if (!this.#ownsPool || this.#closed) return;
    this.#closed = true;
    await this.#pool.end().catch(() => {});
  }

  /**
   * The deadline covers waiting for a connection, every statement and the commit. When it passes,
   * the connection is destroyed rather than returned to the pool: its transaction is then rolled
   * back by the server, and no later call inherits a connection in an unknown state. Any error
   * destroys the connection for the same reason.
   */
  private async withClient<T>(
    operation: string,
    work: (client: pg.PoolClient) => Promise<T>,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    let client: pg.PoolClient | undefined;
    let finished = false;
    // pg emits a connection's failure on the client as well as on its query, and the pool stops
    // listening while a client is checked out: without this, a server dying between two
    // statements of a transaction would crash the process with an unhandled 'error' event.
    const onError = (error: Error) => {
      this.#lastError = redact(error.message, this.#secrets);
    };
    const release = (destroy?: Error) => {
      if (!client) return;
      const c = client;
      client = undefined;
      c.release(destroy ?? false);
      c.removeListener('error', onError);
    };
    const attempt = (async () => {
      const connected = await this.#pool.connect();
      if (finished) {
        connected.release();
        throw new Error('connection arrived after the deadline');
      }
      connected.on('error', onError);
      client = connected;
      return work(connected);
    })();
    attempt.catch(() => {}); // settled later than the deadline: nobody is waiting any more
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms${this.lastErrorNote()}`)), timeoutMs);
    });
    try {
      const result = await Promise.race([attempt, deadline]);
      release();
      this.#lastError = undefined;
      return result;
    } catch (error) {
      release(error instanceof Error ? error : new Error(String(error)));
      throw toStorageFailure(error, operation, this.#secrets);
    } finally {
      finished = true;
      clearTimeout(timer);
    }
  }

  private lastErrorNote(): string {
    return this.#lastError === undefined ? '' : `; last connection error: ${this.#lastError}`;
  }
}
