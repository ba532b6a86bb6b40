/**
 * Starting and stopping a gateway: services from configuration, the server, listening, and a
 * shutdown that stops accepting, drains requests in flight, then releases the store and signer.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildOptions } from './server.js';
import { closeServices, createServices, type GatewayServices } from './services.js';
import type { GatewayConfig } from './config.js';

export interface RunningGateway {
  app: FastifyInstance;
  services: GatewayServices;
  /** `http(s)://host:port` actually bound (port 0 resolved). */
  url: string;
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, options: BuildOptions & { services?: GatewayServices } = {}): Promise<RunningGateway> {
  const warnings: string[] = [];
  const services = options.services ?? (await createServices(config, { onWarning: (text) => warnings.push(text) }));
  let app: FastifyInstance;
  try {
    app = await buildServer(config, services, options);
  } catch (error) {
    await closeServices(services);
    throw error;
  }
  for (const text of warnings) app.log.warn(text);
  if (!services.auth.configured) {
    app.log.warn(
      config.openIssuanceWithoutCredentials
        ? 'no A1_ADMIN_SECRET and no API keys: issuance is OPEN to anyone (A1_GATEWAY_OPEN_ISSUANCE)'
        : 'no A1_ADMIN_SECRET and no API keys: issue and revoke routes refuse every request',
    );
  }
  if (!config.macKey) app.log.warn('no A1_GATEWAY_MAC_KEY: tokens are signed with a random per-process key and die with it');
  if (services.stores.backend === 'memory') app.log.warn('memory store: nonces and revocations are not shared with other replicas');
  await app.listen({ host: config.listen.host, port: config.listen.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    url: `${config.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        try {
          await app.close();
        } finally {
          await closeServices(services);
        }
      })()),
  };
}
