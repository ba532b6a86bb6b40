/**
 * The schema, as numbered steps. Each step is additive and idempotent (`IF NOT EXISTS`), so it can
 * run over a database the A1 reference (`a1-pg`) already created, and nothing here ever drops,
 * rewrites or deletes. A step's number is recorded in `a1_schema_version` in the same transaction
 * as the step itself.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const SCHEMA_VERSION_TABLE = 'a1_schema_version';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "the A1 reference's tables (a1-pg migrations/001_initial.sql plus its prov_chain column)",
    sql: `
CREATE TABLE IF NOT EXISTS a1_revocations (
  tenant_id   VARCHAR     NOT NULL DEFAULT '',
  fingerprint BYTEA       NOT NULL,
  revoked_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  prov_chain  VARCHAR     NOT NULL DEFAULT '64796f6c6f',
  PRIMARY KEY (tenant_id, fingerprint)
);
CREATE INDEX IF NOT EXISTS idx_a1_revocations_revoked_at ON a1_revocations (revoked_at);
CREATE TABLE IF NOT EXISTS a1_nonces (
  tenant_id   VARCHAR     NOT NULL DEFAULT '',
  nonce       BYTEA       NOT NULL,
  consumed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  prov_chain  VARCHAR     NOT NULL DEFAULT '64796f6c6f',
  PRIMARY KEY (tenant_id, nonce)
);
CREATE INDEX IF NOT EXISTS idx_a1_nonces_consumed_at ON a1_nonces (consumed_at);
`,
  },
  {
    version: 2,
    description: 'expires_at on nonces and revocations (NULL = kept for good, which is what reference-written rows get)',
    sql: `
ALTER TABLE a1_nonces ADD COLUMN IF NOT EXISTS expires_at TIMESTAMPTZ;
ALTER TABLE a1_revocations ADD COLUMN IF NOT EXISTS expires_at TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS idx_a1_nonces_expires_at ON a1_nonces (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_a1_revocations_expires_at ON a1_revocations (expires_at) WHERE expires_at IS NOT NULL;
`,
  },
  {
    version: 3,
    description: 'a1_consume_nonces(): all of a chain\'s nonces or none, in one round trip',
    // The insert runs in a sub-transaction: when any nonce was already there, raising the private
    // SQLSTATE A1R01 undoes the rows just inserted and the handler answers false. A handled
    // exception is not an error for the client or the server log. Sorted, so two chains sharing
    // nonces take their row locks in the same order and never deadlock. `p_lock_timeout_ms` (the
    // caller's deadline) bounds the wait behind another consumer's uncommitted row, so a consume
    // the caller gave up on cannot commit long after, whatever the pool's statement_timeout.
    sql: `
CREATE OR REPLACE FUNCTION a1_consume_nonces(
  p_tenant VARCHAR, p_nonces BYTEA[], p_expires_unix INT8[], p_lock_timeout_ms INTEGER DEFAULT NULL)
RETURNS BOOLEAN LANGUAGE plpgsql AS $fn$
DECLARE
  inserted INTEGER;
BEGIN
  IF p_lock_timeout_ms IS NOT NULL THEN
    PERFORM set_config('lock_timeout', p_lock_timeout_ms::text || 'ms', true);
  END IF;
  BEGIN
    INSERT INTO a1_nonces (tenant_id, nonce, expires_at)
    SELECT p_tenant, n.nonce, to_timestamp(n.expires_unix)
      FROM unnest(p_nonces, p_expires_unix) AS n(nonce, expires_unix)
     ORDER BY n.nonce
    ON CONFLICT (tenant_id, nonce) DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted < cardinality(p_nonces) THEN
      RAISE EXCEPTION 'nonce already consumed' USING ERRCODE = 'A1R01';
    END IF;
  EXCEPTION WHEN SQLSTATE 'A1R01' THEN
    RETURN FALSE;
  END;
  RETURN TRUE;
END
$fn$;
`,
  },
];

/** The schema this package reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export const CREATE_VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS ${SCHEMA_VERSION_TABLE} (
  version     INTEGER     PRIMARY KEY,
  description TEXT        NOT NULL,
  applied_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);`;

/** Every step as one script, for a DBA who applies schema changes by hand (`a1-store-postgres sql`). */
export function migrationScript(): string {
  const steps = MIGRATIONS.map(
    (m) =>
      `-- ${m.version}: ${m.description}${m.sql}INSERT INTO ${SCHEMA_VERSION_TABLE} (version, description) VALUES (${m.version}, '${m.description.replace(/'/g, "''")}') ON CONFLICT DO NOTHING;\n`,
  );
  return `BEGIN;${CREATE_VERSION_TABLE}\n${steps.join('\n')}COMMIT;\n`;
}
