// A private PostgreSQL cluster for a snippet: initdb into a temp dir, pg_ctl on a free loopback
// port, removed after (the same helper @a1/store-postgres's tests use). The snippet gets
// A1_PG_URL (what PostgresNonceStore.fromEnv reads). Installed by scripts/ensure-postgres.sh;
// missing, the snippet fails with that hint.
import { startPostgresServer } from '../../../packages/store-postgres/test/support/postgres-server.mjs';

export async function start() {
  const server = await startPostgresServer({ password: 'snippet-pw' });
  return { env: { A1_PG_URL: server.url }, stop: () => server.stop() };
}
