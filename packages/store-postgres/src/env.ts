import { PostgresStoreConfigError } from './config-error.js';
import { parsePostgresUrl, type PostgresConnectionSettings } from './postgres-pool.js';

/** What `fromEnv()` reads, as plain values (parsed here, without touching the network). */
export interface PostgresEnvSettings {
  /** `A1_PG_URL` (the reference gateway's variable), else the fields of the `PG*` variables. */
  connection: string | PostgresConnectionSettings;
  tenantId?: string;
  timeoutMs?: number;
  maxConnections?: number;
  nonceTtlSeconds?: number;
  revocationTtlSeconds?: number;
  purgeIntervalMs?: number;
  migrate?: boolean;
}

const PG_FIELDS = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE'] as const;

export function postgresSettingsFromEnv(env: Record<string, string | undefined>): PostgresEnvSettings {
  const url = env.A1_PG_URL?.trim();
  let connection: string | PostgresConnectionSettings;
  if (url) {
    parsePostgresUrl(url);
    connection = url;
  } else if (PG_FIELDS.some((name) => text(env, name) !== undefined)) {
    connection = fromPgVariables(env);
  } else {
    throw new PostgresStoreConfigError(
      'neither A1_PG_URL nor PGHOST/PGUSER/PGDATABASE is set (e.g. A1_PG_URL=postgres://a1@db.internal:5432/a1?sslmode=verify-full)',
    );
  }
  return {
    connection,
    tenantId: env.A1_PG_TENANT_ID,
    timeoutMs: positive(env, 'A1_PG_TIMEOUT_MS'),
    maxConnections: positive(env, 'A1_PG_POOL_MAX'),
    nonceTtlSeconds: positive(env, 'A1_PG_NONCE_TTL_SECS'),
    revocationTtlSeconds: positive(env, 'A1_PG_REVOCATION_TTL_SECS'),
    purgeIntervalMs: positive(env, 'A1_PG_PURGE_INTERVAL_MS'),
    migrate: flag(env, 'A1_PG_MIGRATE'),
  };
}

/** libpq's variables, read from `env` (not only `process.env`, so this stays a pure function). */
function fromPgVariables(env: Record<string, string | undefined>): PostgresConnectionSettings {
  const settings: PostgresConnectionSettings = {};
  const host = text(env, 'PGHOST');
  if (host) settings.host = host;
  const port = positive(env, 'PGPORT');
  if (port) settings.port = port;
  const user = text(env, 'PGUSER');
  if (user) settings.user = user;
  const password = env.PGPASSWORD;
  if (password) settings.password = password;
  const database = text(env, 'PGDATABASE');
  if (database) settings.database = database;
  const mode = text(env, 'PGSSLMODE');
  if (mode !== undefined) settings.ssl = sslFromMode(mode);
  return settings;
}

/** `verify-*` and `require` verify the server (pg's reading of `require`); `no-verify` is the explicit opt-out. */
function sslFromMode(mode: string): PostgresConnectionSettings['ssl'] {
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
    case 'verify-ca':
    case 'verify-full':
      return true;
    case 'no-verify':
      return { rejectUnauthorized: false };
    default:
      throw new PostgresStoreConfigError(
        `PGSSLMODE must be disable, require, verify-ca, verify-full or no-verify, got ${JSON.stringify(mode)}`,
      );
  }
}

function text(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function positive(env: Record<string, string | undefined>, name: string): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new PostgresStoreConfigError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}

function flag(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new PostgresStoreConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}
