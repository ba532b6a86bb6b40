/** In-process gateways on loopback port 0, with a signer and stores the test chooses. */
import { LocalSigner } from '@a1/core';
import { Writable } from 'node:stream';
import { REDACTED_LOG_PATHS, requestForLog, assembleServices, Authenticator, configFrom, memoryStores, startGateway, type GatewayConfig, type GatewayServices, type GatewaySigner, type GatewayStores, type RunningGateway } from '../../src/index.js';
import type { ApiKeyRing } from '../../src/api-keys.js';
import { ContractClient } from './contract-client.js';

export const ADMIN_SECRET = 'test-admin-secret-7f3a';

export interface TestGateway extends RunningGateway {
  client: ContractClient;
  admin: ContractClient;
  config: GatewayConfig;
  /** Every log line the gateway wrote. */
  logs: string[];
}

export interface TestGatewayOptions {
  env?: Record<string, string>;
  signer?: GatewaySigner;
  stores?: GatewayStores;
  keys?: ApiKeyRing;
  macKey?: Uint8Array;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const config = configFrom({
    A1_GATEWAY_SIGNER: 'file:./unused.key',
    A1_GATEWAY_LISTEN: '127.0.0.1:0',
    A1_ADMIN_SECRET: ADMIN_SECRET,
    A1_GATEWAY_MAC_KEY: '11'.repeat(32),
    ...options.env,
  });
  const signer = options.signer ?? LocalSigner.generate();
  const services: GatewayServices = await assembleServices(config, {
    signer,
    stores: options.stores ?? memoryStores(),
    auth: new Authenticator(config.adminSecret, options.keys),
    ...(options.macKey ? { macKey: options.macKey } : {}),
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const gateway = await startGateway(config, { services, logger: { level: 'debug', stream, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' }, serializers: { req: requestForLog } } });
  const client = new ContractClient(gateway.url);
  return { ...gateway, client, admin: client.with({ credential: ADMIN_SECRET }), config, logs };
}
