import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOrder } from './support/contract-client.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ env: { A1_PUBLIC_BASE_URL: 'https://a1.example.test' } });
});
afterAll(() => gw?.close());

describe('discovery and health (§3)', () => {
  it('/health answers the contract shape in upstream order, with the signer key', async () => {
    const answer = await gw.client.health();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('x-a1-protocol')).toBe('dyolo_v2.8.0');
    expect(keyOrder(answer.text)).toEqual(['status', 'signing_pk_hex', 'version', 'webhook_enabled', 'jwt_exchange_enabled', 'multi_tenant_enabled', 'storage_backend']);
    expect(answer.json).toMatchObject({ status: 'ok', version: '2.8.0', storage_backend: 'memory', signing_pk_hex: gw.services.publicKeyHex });
    expect(answer.json.signing_pk_hex).toMatch(/^[0-9a-f]{64}$/);
  });

  it('/healthz is identical to /health', async () => {
    const [a, b] = await Promise.all([gw.client.request('GET', '/healthz'), gw.client.health()]);
    expect(a.status).toBe(200);
    expect(a.text).toBe(b.text);
  });

  it('HEAD is answered on GET routes', async () => {
    const answer = await gw.client.request('HEAD', '/health');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-a1-protocol')).toBe('dyolo_v2.8.0');
  });

  it('the well-known document keeps every field the TS client requires and lists only what is served', async () => {
    const answer = await gw.client.wellKnown();
    expect(answer.status).toBe(200);
    const doc = answer.json;
    const base = 'https://a1.example.test';
    expect(doc).toMatchObject({
      issuer: base,
      gateway_signing_pk_hex: gw.services.publicKeyHex,
      gateway_did: `did:a1:${gw.services.publicKeyHex}`,
      authorization_endpoint: `${base}/v1/authorize`,
      batch_authorize_endpoint: `${base}/v1/authorize/batch`,
      passport_authorize_endpoint: `${base}/v1/passport/authorize`,
      cert_issuance_endpoint: `${base}/v1/cert/issue`,
      cert_revoke_endpoint: `${base}/v1/cert/revoke`,
      cert_revoke_batch_endpoint: `${base}/v1/cert/revoke-batch`,
      token_verify_endpoint: `${base}/v1/token/verify`,
      a1_version: '2.8.0',
      protocol_enforcer: 'dyolo_v2.8.0',
    });
    expect(doc.supported_algorithms).toContain('Ed25519');
    expect(doc.vc_issue_endpoint).toBeUndefined();
  });

  it('/readyz reports the signer and the store', async () => {
    const answer = await gw.client.request('GET', '/readyz');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'ready', signer: { ok: true }, store: { backend: 'memory', ok: true } });
  });

  it('unknown paths are 404 and wrong methods 405, both with empty bodies and the protocol header', async () => {
    for (const [method, path, status] of [
      ['GET', '/nope', 404],
      ['GET', '/health/', 404],
      ['POST', '/health', 405],
      ['GET', '/v1/cert/revoke', 405],
      ['DELETE', '/v1/authorize', 405],
    ] as const) {
      const answer = await gw.client.request(method, path);
      expect([method, path, answer.status]).toEqual([method, path, status]);
      expect(answer.text).toBe('');
      expect(answer.headers.get('x-a1-protocol')).toBe('dyolo_v2.8.0');
    }
  });

  it('OPTIONS is answered 200 without an allow-origin when CORS is not configured', async () => {
    const answer = await gw.client.request('OPTIONS', '/v1/authorize', undefined, { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE');
  });
});

describe('CORS when configured (§1.5)', () => {
  it('a single origin is allowed and others get no allow-origin', async () => {
    const cors = await startTestGateway({ env: { A1_CORS_ALLOWED_ORIGIN: 'https://app.example' } });
    try {
      const ok = await cors.client.request('GET', '/health', undefined, { origin: 'https://app.example' });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await cors.client.request('GET', '/health', undefined, { origin: 'https://evil.example' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
  });
});

describe('readiness follows the signer health()', () => {
  it('503 when the signer reports a fault; liveness stays 200', async () => {
    const { LocalSigner } = await import('@a1/core');
    const key = LocalSigner.generate();
    let healthy = true;
    const signer = {
      verifyingKey: async () => key.verifyingKey(),
      signMessage: async (m: Uint8Array) => key.signMessage(m),
      health: async () => ({ ok: healthy, latencyMs: 1, keyId: 'test', detail: healthy ? 'key usable' : 'key disabled' }),
    };
    const gw2 = await startTestGateway({ signer });
    try {
      expect((await gw2.client.request('GET', '/readyz')).json.signer).toEqual({ ok: true, latency_ms: expect.any(Number), detail: 'key usable' });
      healthy = false;
      const ready = await gw2.client.request('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ status: 'not_ready', signer: { ok: false, detail: 'key disabled' } });
      expect((await gw2.client.health()).status).toBe(200);
    } finally {
      await gw2.close();
    }
  });
});
