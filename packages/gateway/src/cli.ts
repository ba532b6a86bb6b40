/**
 * The `a1-gateway` command: serve (default), or `key create` to mint a named API key.
 * Exit codes: 0 ok, 1 runtime failure, 2 configuration or usage error.
 */
import { createApiKey, ApiKeyFileError } from './api-keys.js';
import { ConfigError, loadConfig } from './config.js';
import { ROLES, type Role } from './contract.js';
import { startGateway } from './gateway.js';
import { StoreConfigError } from './stores.js';

const USAGE = `usage:
  a1-gateway                       serve the A1 gateway API (configuration from the environment)
  a1-gateway --config FILE         the same, settings from a JSON file first (env still wins)
  a1-gateway key create --name NAME --role issue[,revoke,admin] [--rps N]
                                   mint an API key: prints the key once (stderr) and the keys-file record (stdout)

environment: A1_GATEWAY_SIGNER (required, e.g. file:./root.key), A1_GATEWAY_LISTEN (127.0.0.1:8080),
  A1_ADMIN_SECRET, A1_PUBLIC_BASE_URL, A1_GATEWAY_STORE (memory: | redis://…), A1_GATEWAY_API_KEYS_FILE,
  A1_GATEWAY_MAC_KEY, A1_GATEWAY_TLS_CERT / A1_GATEWAY_TLS_KEY — see the README for every setting.`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function keyCreate(args: string[]): Promise<number> {
  const name = option(args, '--name');
  const roles = (option(args, '--role') ?? '').split(',').filter(Boolean) as Role[];
  const rps = option(args, '--rps');
  if (!name || roles.length === 0 || !roles.every((r) => ROLES.includes(r)) || (rps !== undefined && !(Number(rps) > 0))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { token, record } = await createApiKey(name, roles, rps === undefined ? undefined : Number(rps));
  process.stderr.write(`API key for ${name} (shown once; give it to the client as "Authorization: Bearer <key>"):\n${token}\n`);
  process.stdout.write(`${JSON.stringify(record)}\n`);
  return 0;
}

async function serve(args: string[]): Promise<number> {
  const configFile = option(args, '--config');
  const config = await loadConfig(process.env, configFile ?? process.env.A1_GATEWAY_CONFIG);
  const gateway = await startGateway(config);
  gateway.app.log.info({ url: gateway.url, signingPk: gateway.services.publicKeyHex, store: gateway.services.stores.backend }, 'a1-gateway listening');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      gateway.app.log.info({ signal }, 'shutting down: draining requests in flight');
      const force = setTimeout(() => {
        gateway.app.log.error('shutdown grace period over; exiting');
        process.exit(1);
      }, config.shutdownGraceMs);
      force.unref();
      gateway.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

export async function runGatewayCli(args: string[]): Promise<number> {
  try {
    if (args[0] === '--help' || args[0] === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args[0] === 'key' && args[1] === 'create') return await keyCreate(args.slice(2));
    if (args.length > 0 && args[0] !== '--config') {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    return await serve(args);
  } catch (error) {
    const configProblem = error instanceof ConfigError || error instanceof StoreConfigError || error instanceof ApiKeyFileError;
    const name = (error as Error)?.name;
    const misconfigured = configProblem || name === 'SignerUriError' || name === 'RedisStoreConfigError' || (error as { code?: string })?.code === 'Misconfigured';
    process.stderr.write(`a1-gateway: ${(error as Error)?.message ?? String(error)}\n`);
    return misconfigured ? 2 : 1;
  }
}
