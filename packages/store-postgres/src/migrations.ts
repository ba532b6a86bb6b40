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
