import { inspect } from 'node:util';
import type { NonceConsumeContext, NonceStore } from '@a1/core';
import type pg from 'pg';
import { PostgresStoreConfigError } from './config-error.js';
import { postgresSettingsFromEnv } from './env.js';
import { asBytea, checkLength, NONCE_LENGTH } from './identifiers.js';
import { PostgresConnection, type PostgresHealth } from './postgres-connection.js';
import { createPostgresPool } from './postgres-pool.js';
import { purgeExpired, PurgeTimer, type PurgeOptions, type PurgeOutcome } from './purge.js';
import {
  asParam,
  DEFAULT_SKEW_MARGIN_SECONDS,
  expiryAfter,
  expiryIn,
  isValidSeconds,
  nowUnix,
  type ExpiryUnix,
} from './retention.js';
import type { MigrationResult } from './schema.js';
import { checkStoreOptions, poolOptionsOf, type FromUrlOptions, type PostgresStoreOptions } from './store-options.js';

export interface PostgresNonceStoreOptions extends PostgresStoreOptions {
  /** How long a nonce is kept when the caller gives no `retainUntil` (`authorize` always does). Default: for good. */
  defaultTtlSeconds?: number;
  /** Kept this much beyond `retainUntil`, for verifiers whose clocks are behind. Default 300. */
  skewMarginSeconds?: number;
}

// One statement, one round trip: see migration 3 for why it is all-or-nothing.
const CONSUME_SQL = 'SELECT a1_consume_nonces($1, $2::bytea[], $3::int8[], $4::integer) AS fresh';

const MARK_SQL = `
INSERT INTO a1_nonces (tenant_id, nonce, expires_at) VALUES ($1, $2, to_timestamp($3::int8))
ON CONFLICT (tenant_id, nonce) DO UPDATE SET expires_at =
  CASE WHEN a1_nonces.expires_at IS NULL OR EXCLUDED.expires_at IS NULL THEN NULL
       ELSE GREATEST(a1_nonces.expires_at, EXCLUDED.expires_at) END`;

/**
 * Single-use nonces shared by every verifier process and machine, in the reference's `a1_nonces`
 * table: `tryConsumeBatch` consumes all nonces of a chain or none, exactly once across processes,
 * in one transaction.
 */
export class PostgresNonceStore implements NonceStore {
  readonly tenantId: string;
  readonly #connection: PostgresConnection;
  readonly #defaultTtlSeconds: number | undefined;
  readonly #skewMarginSeconds: number;
  readonly #purgeTimer: PurgeTimer | undefined;

  constructor(pool: pg.Pool, options: PostgresNonceStoreOptions = {}) {
    const { tenantId, timeoutMs } = checkStoreOptions(options);
    if (!isValidSeconds(options.defaultTtlSeconds)) throw new PostgresStoreConfigError('defaultTtlSeconds must be a positive number');
    if (!isValidSeconds(options.skewMarginSeconds, true)) throw new PostgresStoreConfigError('skewMarginSeconds must be a number >= 0');
    this.tenantId = tenantId;
    this.#defaultTtlSeconds = options.defaultTtlSeconds;
    this.#skewMarginSeconds = options.skewMarginSeconds ?? DEFAULT_SKEW_MARGIN_SECONDS;
    this.#connection = new PostgresConnection(pool, { timeoutMs, ownsPool: options.ownsPool ?? false, migrate: options.migrate ?? false });
    this.#purgeTimer = options.purgeIntervalMs === undefined ? undefined : new PurgeTimer(options.purgeIntervalMs, () => this.purgeExpired());
  }

  /** A store on its own pool for `url` (`postgres://…`); fields the URL omits come from `PG*` variables. */
  static fromUrl(url: string, options: FromUrlOptions<PostgresNonceStoreOptions> = {}): PostgresNonceStore {
    const pool = createPostgresPool(url, poolOptionsOf(options));
    return new PostgresNonceStore(pool, { ...options, ownsPool: true });
  }

  /** `A1_PG_URL` or the `PG*` variables, plus the `A1_PG_*` settings in the README. */
  static fromEnv(env: Record<string, string | undefined> = process.env): PostgresNonceStore {
    const s = postgresSettingsFromEnv(env);
    const pool = createPostgresPool(s.connection, { timeoutMs: s.timeoutMs, maxConnections: s.maxConnections });
    return new PostgresNonceStore(pool, {
      tenantId: s.tenantId,
      timeoutMs: s.timeoutMs,
      defaultTtlSeconds: s.nonceTtlSeconds,
      purgeIntervalMs: s.purgeIntervalMs,
      migrate: s.migrate,
      ownsPool: true,
    });
  }

  get pool(): pg.Pool {
    return this.#connection.pool;
  }

  /** Last background purge, when `purgeIntervalMs` is set. */
  get lastPurge(): PurgeOutcome | undefined {
    return this.#purgeTimer?.last;
  }

  /**
   * One statement, its own transaction: insert every nonce, skipping those present; keep the rows
   * only if all were new, else undo them (a sub-transaction in `a1_consume_nonces`), so a chain
   * sharing one nonce with an accepted chain leaves no row behind. A concurrent consumer of the
   * same nonce waits for this transaction and then sees its row.
   */
  async tryConsumeBatch(nonces: readonly Uint8Array[], context?: NonceConsumeContext): Promise<boolean> {
    nonces.forEach((nonce) => checkLength(nonce, NONCE_LENGTH, 'nonce'));
    if (context && context.retainUntil.length !== nonces.length) {
      throw new RangeError('context.retainUntil must have one entry per nonce');
    }
    if (nonces.length === 0) return true;
    const rows = nonces.map((nonce, i) => ({ nonce: asBytea(nonce), expiry: this.expiry(context?.retainUntil[i]) }));
    // A nonce twice in one batch would be consumed twice: that is a replay, decided here.
    const sorted = [...rows].sort((a, b) => Buffer.compare(a.nonce, b.nonce));
    if (sorted.some((row, i) => i > 0 && row.nonce.equals(sorted[i - 1]!.nonce))) return false;
    const params = [this.tenantId, rows.map((r) => r.nonce), rows.map((r) => asParam(r.expiry)), Math.ceil(this.#connection.timeoutMs)];
    return this.#connection.run('consume nonces', async (client) => {
      const result = await client.query<{ fresh: boolean }>(CONSUME_SQL, params);
      return result.rows[0]?.fresh === true;
    });
  }

  async isConsumed(nonce: Uint8Array): Promise<boolean> {
    checkLength(nonce, NONCE_LENGTH, 'nonce');
    return this.#connection.run('check nonce', async (client) => {
      const result = await client.query('SELECT 1 FROM a1_nonces WHERE tenant_id = $1 AND nonce = $2', [this.tenantId, asBytea(nonce)]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  /** Records a nonce as consumed; a second mark never shortens how long it is kept. */
  async markConsumed(nonce: Uint8Array, context?: { retainUntil: bigint; now: bigint }): Promise<void> {
    checkLength(nonce, NONCE_LENGTH, 'nonce');
    const expiry = this.expiry(context?.retainUntil);
    await this.#connection.run('mark nonce', (client) => client.query(MARK_SQL, [this.tenantId, asBytea(nonce), asParam(expiry)]));
  }

  /** Deletes expired nonce rows in bounded batches; the number deleted. */
  purgeExpired(options?: PurgeOptions): Promise<number> {
    return purgeExpired(this.#connection, 'a1_nonces', this.tenantId, options);
  }

  /** Resolves once the schema is checked (or migrated, with `migrate`); rejects with the reason otherwise. */
  ready(): Promise<void> {
    return this.#connection.ready();
  }

  /** Applies missing migrations now (see `migrate()`). */
  migrate(): Promise<MigrationResult> {
    return this.#connection.migrate();
  }

  /** `SELECT 1` within the store's deadline, after the schema check; never throws. */
  health(): Promise<PostgresHealth> {
    return this.#connection.health();
  }

  async close(): Promise<void> {
    this.#purgeTimer?.stop();
    await this.#connection.close();
  }

  [inspect.custom](): string {
    return `PostgresNonceStore { server: ${this.#connection.server}, tenantId: ${JSON.stringify(this.tenantId)} }`;
  }

  toJSON(): Record<string, string> {
    return { store: 'PostgresNonceStore', server: this.#connection.server, tenantId: this.tenantId };
  }

  private expiry(retainUntil: bigint | undefined): ExpiryUnix {
    if (retainUntil === undefined) return expiryIn(this.#defaultTtlSeconds, nowUnix());
    return expiryAfter(retainUntil, this.#skewMarginSeconds);
  }
}

