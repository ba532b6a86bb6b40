/**
 * The nonce and revocation stores every replica shares, chosen by `A1_GATEWAY_STORE`:
 * `memory:` (one process; development), `redis://…` / `rediss://…` (@a1/store-redis) or
 * `postgres://…` (@a1/store-postgres), each package loaded only when named. Keys can be laid out as the reference does (§7.1) so both gateways share one Redis.
 */
import { MemoryNonceStore, MemoryRevocationStore, type NonceStore, type RevocationStore } from '@a1/core';

export type StorageBackend = 'memory' | 'redis' | 'postgres';

/** `a1`: @a1/store-redis' hash-tagged defaults (Cluster-safe). `reference`: `a1:nonce:`/`a1:rev:` as upstream (single node). */
export type RedisKeyLayout = 'a1' | 'reference';

export interface StoreHealth {
  ok: boolean;
  latencyMs?: number;
  reason?: string;
}

export interface GatewayStores {
  backend: StorageBackend;
  nonces: NonceStore;
  revocations: RevocationStore;
  health(): Promise<StoreHealth>;
  /**
   * Redis: arms a new deployment's key spaces (the operator step `npx a1-store-redis arm`), so that
   * a later loss of Redis' data is detected and refused. Never run on every start: that would
   * re-arm an emptied Redis and accept replays.
   */
  arm?(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  redisKeyLayout?: RedisKeyLayout;
  /** Deadline of each store operation (ms). */
  timeoutMs?: number;
  /** PostgreSQL: apply missing migrations at start (default: refuse to run on an older schema). */
  migrate?: boolean;
  /** Redis: arm a never-used key space on first use (development only; @a1/store-redis' autoArm). */
  redisAutoArm?: boolean;
}

export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

export const REFERENCE_REDIS_PREFIXES = { nonce: 'a1:nonce:', revocation: 'a1:rev:' } as const;

/** The URI without its password, for logs. */
export function redactStoreUri(uri: string): string {
  return uri.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

export function memoryStores(): GatewayStores {
  return {
    backend: 'memory',
    nonces: new MemoryNonceStore(),
    revocations: new MemoryRevocationStore(),
    health: async () => ({ ok: true, latencyMs: 0 }),
    close: async () => {},
  };
}

async function redisStores(uri: string, options: StoreOptions): Promise<GatewayStores> {
  const { createRedisClient, RedisNonceStore, RedisRevocationStore } = await import('@a1/store-redis');
  const client = createRedisClient(uri, options.timeoutMs);
  const reference = options.redisKeyLayout === 'reference';
  const common = { timeoutMs: options.timeoutMs, ...(options.redisAutoArm !== undefined ? { autoArm: options.redisAutoArm } : {}) };
  const nonces = new RedisNonceStore(client, { ...common, ...(reference ? { keyPrefix: REFERENCE_REDIS_PREFIXES.nonce } : {}) });
  const revocations = new RedisRevocationStore(client, { ...common, ...(reference ? { keyPrefix: REFERENCE_REDIS_PREFIXES.revocation } : {}) });
  return {
    backend: 'redis',
    nonces,
    revocations,
    health: () => nonces.health(),
    arm: async () => {
      await (nonces as unknown as { arm(): Promise<boolean> }).arm();
      await (revocations as unknown as { arm(): Promise<boolean> }).arm();
    },
    close: async () => {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

async function postgresStores(uri: string, options: StoreOptions): Promise<GatewayStores> {
  const { createPostgresPool, PostgresNonceStore, PostgresRevocationStore } = await import('@a1/store-postgres');
  const pool = createPostgresPool(uri, { timeoutMs: options.timeoutMs, applicationName: 'a1-gateway' });
  // The reference's tables (a1_nonces, a1_revocations) with tenant_id '' as its gateway uses (§7.2).
  const common = { timeoutMs: options.timeoutMs, migrate: options.migrate ?? false };
  const nonces = new PostgresNonceStore(pool, common);
  const revocations = new PostgresRevocationStore(pool, common);
  return {
    backend: 'postgres',
    nonces,
    revocations,
    health: () => nonces.health(),
    close: async () => {
      await Promise.allSettled([nonces.close(), revocations.close()]);
      await pool.end().catch(() => {});
    },
  };
}

export async function storesFromUri(uri: string, options: StoreOptions = {}): Promise<GatewayStores> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'memory':
      return memoryStores();
    case 'redis':
    case 'rediss':
      return redisStores(uri, options);
    case 'postgres':
    case 'postgresql':
      return postgresStores(uri, options);
    default:
      throw new StoreConfigError(
        `A1_GATEWAY_STORE ${JSON.stringify(redactStoreUri(uri).slice(0, 80))} is not supported: use memory:, redis://host:port or postgres://host/db`,
      );
  }
}
