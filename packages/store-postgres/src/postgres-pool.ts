import type { ConnectionOptions as TlsOptions } from 'node:tls';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { PostgresStoreConfigError } from './config-error.js';

export const DEFAULT_TIMEOUT_MS = 1_000;
export const DEFAULT_MAX_CONNECTIONS = 10;

/** Where the database is, as fields (what `PG*` variables give) rather than a URL. */
export interface PostgresConnectionSettings {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** `false`, `true` (verify the server against the system CAs) or Node TLS options (`ca`, `cert`, `key`, …). */
  ssl?: boolean | TlsOptions;
}

export interface PostgresPoolOptions {
  /** Deadline for each store operation; also the server-side `statement_timeout` and the connect timeout. Default 1000. */
  timeoutMs?: number;
  /** Most connections the pool opens. Default 10. */
  maxConnections?: number;
  /** TLS: `true`, or Node TLS options; overrides the URL's `sslmode`/`sslrootcert`. */
  ssl?: boolean | TlsOptions;
  /** Shown in `pg_stat_activity`. Default: the URL's `application_name`, else `a1-store-postgres`. */
  applicationName?: string;
}

/**
 * A pool for `postgres://[user[:password]@]host[:port]/database[?sslmode=…]` or for connection
 * fields. Fields the URL or settings leave out fall back, as in libpq, to the `PG*` variables
 * (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`), which `pg` reads.
 *
 * The URL is parsed here and never handed to `pg` as a string: a pool keeps its options
 * enumerable, and a `connectionString` would carry the password into `inspect(pool)`; `pg` keeps
 * a `password` field non-enumerable.
 */
export function createPostgresPool(
  connection: string | PostgresConnectionSettings,
  options: PostgresPoolOptions = {},
): pg.Pool {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkTimeout(timeoutMs);
  const max = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(max) || max < 1) throw new PostgresStoreConfigError('maxConnections must be a positive integer');
  const settings = typeof connection === 'string' ? parsePostgresUrl(connection) : { ...connection };
  const config: pg.PoolConfig = {
    ...settings,
    ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
    max,
    connectionTimeoutMillis: Math.max(timeoutMs, 1_000),
    idleTimeoutMillis: 30_000,
    // The server gives up on a statement at the deadline too, so an abandoned one frees its locks;
    // a transaction left open by a vanished client is ended after a few deadlines.
    statement_timeout: Math.ceil(timeoutMs),
    idle_in_transaction_session_timeout: Math.min(Math.max(timeoutMs * 5, 5_000), MAX_TIMEOUT_MS),
    application_name: options.applicationName ?? settings.application_name ?? 'a1-store-postgres',
    keepAlive: true,
  };
  delete (config as { connectionString?: string }).connectionString;
  return new pg.Pool(config);
}

/** Parses a URL into connection fields; the message on failure never repeats the URL. */
export function parsePostgresUrl(url: string): pg.ClientConfig {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new PostgresStoreConfigError('PostgreSQL URL must start with postgres:// or postgresql://');
  }
  try {
    new URL(url.replace(/^postgres(ql)?:/i, 'http:'));
    return parseIntoClientConfig(url);
  } catch {
    throw new PostgresStoreConfigError(
      'not a valid PostgreSQL URL (percent-encode reserved characters such as @ : / # in the password); the URL is not shown because it may hold a password',
    );
  }
}

/** Node timers and PostgreSQL's millisecond settings both stop at 2^31 − 1 ms (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

export function checkTimeout(timeoutMs: number): void {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new PostgresStoreConfigError(`timeoutMs must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS}`);
  }
}

/** Secrets a pool was configured with, so error text can be scrubbed of them. */
export function secretsOf(pool: pg.Pool): string[] {
  const options = pool.options as pg.PoolConfig & { connectionString?: string };
  const secrets: string[] = [];
  if (typeof options.password === 'string' && options.password.length > 0) secrets.push(options.password);
  if (typeof options.connectionString === 'string') {
    try {
      const password = parseIntoClientConfig(options.connectionString).password;
      if (typeof password === 'string' && password.length > 0) secrets.push(password);
    } catch {
      // an unparsable string is pg's problem to report; the URL redaction still applies
    }
  }
  return secrets;
}

/** `user@host:port/database`, for messages and `inspect`: never the password. */
export function describeServer(pool: pg.Pool): string {
  const o = pool.options as pg.PoolConfig;
  const host = o.host ?? process.env.PGHOST ?? 'localhost';
  const port = o.port ?? process.env.PGPORT ?? 5432;
  const user = o.user ?? process.env.PGUSER;
  const database = o.database ?? process.env.PGDATABASE ?? user;
  return `${user ? `${user}@` : ''}${host}:${port}/${database ?? ''}`;
}
