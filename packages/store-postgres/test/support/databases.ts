import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { PostgresServerHandle } from './postgres-server.mjs';

/** A new, empty database in the test cluster; its URL. Lets one cluster hold many independent schemas. */
export async function freshDatabase(server: PostgresServerHandle, admin: pg.Client): Promise<string> {
  const name = `db_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return server.url.replace(/\/postgres$/, `/${name}`);
}

/**
 * The A1 reference's tables exactly as its migrations/001_initial.sql creates them (gateway-api.md
 * §7.2), without the `prov_chain` column the crate's MIGRATION_DDL adds, which writers must not
 * rely on.
 */
export const REFERENCE_001_INITIAL = `
CREATE TABLE a1_revocations (
  tenant_id VARCHAR NOT NULL DEFAULT '',
  fingerprint BYTEA NOT NULL,
  revoked_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (tenant_id, fingerprint)
);
CREATE INDEX idx_a1_revocations_revoked_at ON a1_revocations (revoked_at);
CREATE TABLE a1_nonces (
  tenant_id VARCHAR NOT NULL DEFAULT '',
  nonce BYTEA NOT NULL,
  consumed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (tenant_id, nonce)
);
CREATE INDEX idx_a1_nonces_consumed_at ON a1_nonces (consumed_at);
`;

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The reference gateway's queries (§7.2), verbatim, as another deployment sharing the database runs them. */
export const reference = {
  isRevoked: async (db: Queryable, fp: Uint8Array) =>
    ((await db.query("SELECT TRUE FROM a1_revocations WHERE tenant_id = '' AND fingerprint = $1", [Buffer.from(fp)])).rowCount ?? 0) > 0,
  revoke: (db: Queryable, fp: Uint8Array) =>
    db.query("INSERT INTO a1_revocations (tenant_id, fingerprint) VALUES ('', $1) ON CONFLICT DO NOTHING", [Buffer.from(fp)]),
  revokeBatch: (db: Queryable, fps: Uint8Array[]) =>
    db.query(
      `INSERT INTO a1_revocations (tenant_id, fingerprint) VALUES ${fps.map((_, i) => `('', $${i + 1})`).join(', ')} ON CONFLICT DO NOTHING`,
      fps.map((fp) => Buffer.from(fp)),
    ),
  /** SERIALIZABLE; count > 0 → replay; else insert all; any error retried up to 3 times, 5 ms apart. */
  async consume(db: pg.ClientBase, nonces: Uint8Array[]): Promise<boolean> {
    const list = nonces.map((n) => Buffer.from(n));
    for (let attempt = 0; ; attempt++) {
      try {
        await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const count = await db.query<{ n: number }>(
          "SELECT COUNT(*)::int AS n FROM a1_nonces WHERE tenant_id = '' AND nonce = ANY($1)",
          [list],
        );
        if (count.rows[0]!.n > 0) {
          await db.query('ROLLBACK');
          return false;
        }
        await db.query("INSERT INTO a1_nonces (tenant_id, nonce) SELECT '', unnest($1::bytea[]) ON CONFLICT DO NOTHING", [list]);
        await db.query('COMMIT');
        return true;
      } catch (error) {
        await db.query('ROLLBACK').catch(() => {});
        if (attempt >= 3) throw error;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  },
};
