// The gateway on the reference's PostgreSQL tables (A1_GATEWAY_STORE=postgres://…): replay and
// revocation are refused, an outage fails closed.
import { LocalSigner, toHex } from '@a1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storesFromUri, type GatewayStores } from '../src/index.js';
import { oneHopChain } from './support/contract-client.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { findPostgresBinDir, POSTGRES_INSTALL_HINT, startPostgresServer, type PostgresServerHandle } from './support/postgres.js';

const available = findPostgresBinDir() !== undefined;
if (!available && process.env.CI === 'true') throw new Error(`CI=true and PostgreSQL is not installed; ${POSTGRES_INSTALL_HINT}`);

let pg: PostgresServerHandle;
let stores: GatewayStores;
let gw: TestGateway;
beforeAll(async () => {
  if (!available) return;
  pg = await startPostgresServer();
  stores = await storesFromUri(pg.url, { timeoutMs: 2_000, migrate: true });
  gw = await startTestGateway({ stores });
}, 120_000);
afterAll(async () => {
  await gw?.close();
  await pg?.stop();
});

describe.skipIf(!available)('PostgreSQL store', () => {
  it('issue → authorize once → replay refused; a revocation is honoured', async () => {
    expect((await gw.client.health()).json.storage_backend).toBe('postgres');
    expect((await gw.client.request('GET', '/readyz')).json.store).toMatchObject({ backend: 'postgres', ok: true });
    const pk = gw.services.publicKeyHex;
    const agent = LocalSigner.generate();
    const body = async () => {
      const issued = (await gw.admin.issueCert({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name: 'x' }] })).json;
      return { issued, request: { chain: oneHopChain(pk, issued), intent_name: 'x', executor_pk_hex: toHex(agent.verifyingKey()) } };
    };
    const first = await body();
    expect((await gw.client.authorize(first.request)).status).toBe(200);
    expect((await gw.client.authorize(first.request)).json.error_code).toBe('NONCE_REPLAY');
    const second = await body();
    expect((await gw.admin.revoke(second.issued.fingerprint_hex)).status).toBe(200);
    expect((await gw.client.certStatus(second.issued.fingerprint_hex)).json.revoked).toBe(true);
    expect((await gw.client.authorize(second.request)).json.error_code).toBe('CERT_REVOKED');
  });

  it('PostgreSQL down → authorize 503 STORAGE_ERROR without the password', async () => {
    const pk = gw.services.publicKeyHex;
    const agent = LocalSigner.generate();
    const issued = (await gw.admin.issueCert({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name: 'x' }] })).json;
    await pg.kill();
    try {
      const answer = await gw.client.authorize({ chain: oneHopChain(pk, issued), intent_name: 'x', executor_pk_hex: toHex(agent.verifyingKey()) });
      expect(answer.status).toBe(503);
      expect(answer.json.error_code).toBe('STORAGE_ERROR');
      expect(answer.text).not.toContain(pg.password);
      expect((await gw.client.request('GET', '/readyz')).status).toBe(503);
      expect((await gw.client.health()).status).toBe(200);
    } finally {
      await pg.restart();
    }
  });
});
