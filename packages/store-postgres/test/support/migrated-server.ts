import { migrate } from '../../src/index.js';
import { startPostgresServer, type PostgresServerHandle } from './postgres-server.mjs';

/** A private cluster with this package's schema installed, as an operator would leave it. */
export async function startMigratedServer(options?: Parameters<typeof startPostgresServer>[0]): Promise<PostgresServerHandle> {
  const server = await startPostgresServer(options);
  await migrate(server.url, { timeoutMs: 60_000 });
  return server;
}
