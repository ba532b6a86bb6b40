import { inspect } from 'node:util';
import type { RevocationStore } from '@a1/core';
import type pg from 'pg';
import { PostgresStoreConfigError } from './config-error.js';
import { postgresSettingsFromEnv } from './env.js';
import { asBytea, checkLength, FINGERPRINT_LENGTH } from './identifiers.js';
import { PostgresConnection, type PostgresHealth } from './postgres-connection.js';
import { createPostgresPool } from './postgres-pool.js';
import { purgeExpired, PurgeTimer, type PurgeOptions, type PurgeOutcome } from './purge.js';
import {
  asParam,
  DEFAULT_SKEW_MARGIN_SECONDS,
  expiryAfter,
  expiryIn,
  isValidSeconds,
  laterExpiry,
  nowUnix,
  type ExpiryUnix,
} from './retention.js';
import type { MigrationResult } from './schema.js';
import { checkStoreOptions, poolOptionsOf, type FromUrlOptions, type PostgresStoreOptions } from './store-options.js';

export interface PostgresRevocationStoreOptions extends PostgresStoreOptions {
  /** Forget a revocation made without per-call `retention` after this long. Default: never. */
  ttlSeconds?: number;
  /** A revocation with `retention` is kept this much beyond `retainUntil`. Default 300. */
  skewMarginSeconds?: number;
}

/** Per-call expiry: the revocation may be forgotten after `retainUntil` (the cert's expiry + drift, unix seconds). */
export interface RevocationRetention {
  retainUntil: bigint;
  /** Accepted for the same shape as `@a1/store-redis`; unused, as rows carry an absolute expiry. */
  now?: bigint;
}

/** One revocation, as `list()` returns it for audit. */
export interface RevocationRecord {
  fingerprint: Uint8Array;
  revokedAt: Date;
  /** When the row may be purged; `null` for never. */
  expiresAt: Date | null;
}

export interface RevocationPage {
  revocations: RevocationRecord[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

// A revocation made twice keeps its first `revoked_at` and the later of the two expiries.
const REVOKE_SQL = `
INSERT INTO a1_revocations (tenant_id, fingerprint, expires_at)
SELECT $1, r.fingerprint, to_timestamp(r.expires_unix)
  FROM unnest($2::bytea[], $3::int8[]) AS r(fingerprint, expires_unix)
ON CONFLICT (tenant_id, fingerprint) DO UPDATE SET expires_at =
  CASE WHEN a1_revocations.expires_at IS NULL OR EXCLUDED.expires_at IS NULL THEN NULL
       ELSE GREATEST(a1_revocations.expires_at, EXCLUDED.expires_at) END`;

// A row is honoured until it is purged, expired or not: the cert it names is dead by then anyway.
const REVOKED_AMONG_SQL = 'SELECT fingerprint FROM a1_revocations WHERE tenant_id = $1 AND fingerprint = ANY($2::bytea[])';

const LIST_SQL = `
SELECT fingerprint, revoked_at, revoked_at::text AS revoked_at_text, expires_at FROM a1_revocations
 WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (revoked_at, fingerprint) > ($2::timestamptz, $3::bytea))
 ORDER BY revoked_at, fingerprint LIMIT $4`;

/**
 * Revoked cert fingerprints shared by every verifier, durable, in the reference's `a1_revocations`
 * table. No local cache: every check asks the database, so a revocation is seen by every process
 * on its very next `authorize`, and survives restarts and failovers with the database.
 */
export class PostgresRevocationStore implements RevocationStore {
  readonly tenantId: string;
  readonly #connection: PostgresConnection;
  readonly #ttlSeconds: number | undefined;
  readonly #skewMarginSeconds: number;
  readonly #purgeTimer: PurgeTimer | undefined;

  constructor(pool: pg.Pool, options: PostgresRevocationStoreOptions = {}) {
    const { tenantId, timeoutMs } = checkStoreOptions(options);
    if (!isValidSeconds(options.ttlSeconds)) throw new PostgresStoreConfigError('ttlSeconds must be a positive number');
    if (!isValidSeconds(options.skewMarginSeconds, true)) throw new PostgresStoreConfigError('skewMarginSeconds must be a number >= 0');
    this.tenantId = tenantId;
    this.#ttlSeconds = options.ttlSeconds;
    this.#skewMarginSeconds = options.skewMarginSeconds ?? DEFAULT_SKEW_MARGIN_SECONDS;
    this.#connection = new PostgresConnection(pool, { timeoutMs, ownsPool: options.ownsPool ?? false, migrate: options.migrate ?? false });
    this.#purgeTimer = options.purgeIntervalMs === undefined ? undefined : new PurgeTimer(options.purgeIntervalMs, () => this.purgeExpired());
  }

  static fromUrl(url: string, options: FromUrlOptions<PostgresRevocationStoreOptions> = {}): PostgresRevocationStore {
    const pool = createPostgresPool(url, poolOptionsOf(options));
    return new PostgresRevocationStore(pool, { ...options, ownsPool: true });
  }

  /** `A1_PG_URL` or the `PG*` variables, plus the `A1_PG_*` settings in the README. */
  static fromEnv(env: Record<string, string | undefined> = process.env): PostgresRevocationStore {
    const s = postgresSettingsFromEnv(env);
    const pool = createPostgresPool(s.connection, { timeoutMs: s.timeoutMs, maxConnections: s.maxConnections });
    return new PostgresRevocationStore(pool, {
      tenantId: s.tenantId,
      timeoutMs: s.timeoutMs,
      ttlSeconds: s.revocationTtlSeconds,
      purgeIntervalMs: s.purgeIntervalMs,
      migrate: s.migrate,
      ownsPool: true,
    });
  }

  get pool(): pg.Pool {
    return this.#connection.pool;
  }

  get lastPurge(): PurgeOutcome | undefined {
    return this.#purgeTimer?.last;
  }

  async isRevoked(fingerprint: Uint8Array): Promise<boolean> {
    return (await this.revokedAmong([fingerprint]))[0]!;
  }

  /** For each fingerprint (a chain's, say), whether it is revoked: one query, one round trip. */
  async revokedAmong(fingerprints: readonly Uint8Array[]): Promise<boolean[]> {
    fingerprints.forEach((fp) => checkLength(fp, FINGERPRINT_LENGTH, 'fingerprint'));
    if (fingerprints.length === 0) return [];
    const wanted = fingerprints.map(asBytea);
    const found = await this.#connection.run('check revocation', async (client) => {
      const result = await client.query<{ fingerprint: Buffer }>(REVOKED_AMONG_SQL, [this.tenantId, wanted]);
      return new Set(result.rows.map((row) => row.fingerprint.toString('hex')));
    });
    return wanted.map((fp) => found.has(fp.toString('hex')));
  }

  async revoke(fingerprint: Uint8Array, retention?: RevocationRetention): Promise<void> {
    await this.revokeBatch([fingerprint], retention && [retention]);
  }

  /** Every fingerprint in one statement, so a batch lands whole or not at all. */
  async revokeBatch(fingerprints: readonly Uint8Array[], retention?: readonly RevocationRetention[]): Promise<void> {
    fingerprints.forEach((fp) => checkLength(fp, FINGERPRINT_LENGTH, 'fingerprint'));
    if (retention && retention.length !== fingerprints.length) {
      throw new RangeError('retention must have one entry per fingerprint');
    }
    if (fingerprints.length === 0) return;
    // One row per fingerprint (ON CONFLICT cannot touch a row twice in one statement).
    const rows = new Map<string, { fingerprint: Buffer; expiry: ExpiryUnix }>();
    fingerprints.forEach((fp, i) => {
      const fingerprint = asBytea(fp);
      const r = retention?.[i];
      const expiry = r ? expiryAfter(r.retainUntil, this.#skewMarginSeconds) : expiryIn(this.#ttlSeconds, nowUnix());
      const key = fingerprint.toString('hex');
      const seen = rows.get(key);
      rows.set(key, { fingerprint, expiry: seen ? laterExpiry(seen.expiry, expiry) : expiry });
    });
    const list = [...rows.values()];
    await this.#connection.run('revoke', (client) =>
      client.query(REVOKE_SQL, [this.tenantId, list.map((r) => r.fingerprint), list.map((r) => asParam(r.expiry))]),
    );
  }

  /** This tenant's revocations, oldest first, a page at a time (`limit` default 1000). */
  async list(options: { after?: string; limit?: number } = {}): Promise<RevocationPage> {
    const limit = options.limit ?? 1_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new RangeError('limit must be an integer from 1 to 100000');
    const [afterTime, afterFingerprint] = options.after === undefined ? [null, null] : decodeCursor(options.after);
    const rows = await this.#connection.run('list revocations', async (client) => {
      const result = await client.query<{ fingerprint: Buffer; revoked_at: Date; revoked_at_text: string; expires_at: Date | null }>(
        LIST_SQL,
        [this.tenantId, afterTime, afterFingerprint, limit],
      );
      return result.rows;
    });
    const revocations = rows.map((row) => ({
      fingerprint: new Uint8Array(row.fingerprint),
      revokedAt: row.revoked_at,
      expiresAt: row.expires_at,
    }));
    const last = rows[rows.length - 1];
    return rows.length === limit && last ? { revocations, next: encodeCursor(last.revoked_at_text, last.fingerprint) } : { revocations };
  }

  /** Deletes revocations whose `expires_at` has passed, in bounded batches; the number deleted. */
  purgeExpired(options?: PurgeOptions): Promise<number> {
    return purgeExpired(this.#connection, 'a1_revocations', this.tenantId, options);
  }

  ready(): Promise<void> {
    return this.#connection.ready();
  }

  migrate(): Promise<MigrationResult> {
    return this.#connection.migrate();
  }

  health(): Promise<PostgresHealth> {
    return this.#connection.health();
  }

  async close(): Promise<void> {
    this.#purgeTimer?.stop();
    await this.#connection.close();
  }

  [inspect.custom](): string {
    return `PostgresRevocationStore { server: ${this.#connection.server}, tenantId: ${JSON.stringify(this.tenantId)} }`;
  }

  toJSON(): Record<string, string> {
    return { store: 'PostgresRevocationStore', server: this.#connection.server, tenantId: this.tenantId };
  }
}

// The cursor keeps `revoked_at` as PostgreSQL's own text (microseconds), which a JS Date would round.
function encodeCursor(revokedAt: string, fingerprint: Buffer): string {
  return Buffer.from(JSON.stringify([revokedAt, fingerprint.toString('hex')])).toString('base64url');
}

function decodeCursor(cursor: string): [string, Buffer] {
  try {
    const [time, hex] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time === 'string' && typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex)) return [time, Buffer.from(hex, 'hex')];
  } catch {
    // fall through
  }
  throw new RangeError('after must be a cursor returned by list()');
}
