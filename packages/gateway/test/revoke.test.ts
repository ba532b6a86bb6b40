import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOrder } from './support/contract-client.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

const fp = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');

describe('revocation and status (§4.4)', () => {
  it('revoke echoes the fingerprint as sent; status reads it back; revoking twice is fine', async () => {
    const value = fp().toUpperCase();
    const answer = await gw.admin.revoke(value);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(`{"revoked":"${value}"}`);
    expect((await gw.admin.revoke(value)).status).toBe(200);
    const status = await gw.client.certStatus(value.toLowerCase());
    expect(status.status).toBe(200);
    expect(keyOrder(status.text)).toEqual(['fingerprint', 'revoked']);
    expect(status.json).toEqual({ fingerprint: value.toLowerCase(), revoked: true });
    expect((await gw.client.certStatus(fp())).json.revoked).toBe(false);
  });

  it('invalid input → 400 with the fixed texts', async () => {
    expect(await gw.admin.revoke('xyz').then((a) => [a.status, a.json])).toEqual([400, { error: 'invalid hex' }]);
    expect(await gw.admin.revoke('abcd').then((a) => [a.status, a.json])).toEqual([400, { error: 'fingerprint must be 32 bytes' }]);
    expect(await gw.client.certStatus('zz').then((a) => [a.status, a.json])).toEqual([400, { error: 'invalid hex' }]);
    expect(await gw.client.certStatus('ab').then((a) => [a.status, a.json])).toEqual([400, { error: 'fingerprint must be 32 bytes' }]);
    expect((await gw.admin.request('POST', '/v1/cert/revoke', { fingerprint_hex: 5 })).status).toBe(422);
  });

  it('revoke-batch: well-formed entries revoked (duplicates counted), the rest echoed in failed', async () => {
    const a = fp();
    const answer = await gw.admin.revokeBatch([a, a, 'nope', 'ab', fp()]);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"revoked_count":3,"failed":["nope","ab"]}');
    expect((await gw.client.certStatus(a)).json.revoked).toBe(true);
    expect((await gw.admin.revokeBatch([])).json).toEqual({ revoked_count: 0, failed: [] });
  });

  it('revocation needs the revoke role by default (401 without a credential)', async () => {
    const answer = await gw.client.revoke(fp());
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: 'invalid or missing admin secret' });
    expect((await gw.client.revokeBatch([fp()])).status).toBe(401);
  });

  it('the compatibility option makes revocation public, as upstream', async () => {
    const open = await startTestGateway({ env: { A1_GATEWAY_PUBLIC_REVOCATION: 'true' } });
    try {
      expect((await open.client.revoke(fp())).status).toBe(200);
      expect((await open.client.revokeBatch([fp()])).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('GET on the static POST routes is 405 (issue: 401 first)', async () => {
    expect((await gw.client.request('GET', '/v1/cert/revoke-batch')).status).toBe(405);
    expect((await gw.client.request('GET', '/v1/cert/issue')).status).toBe(401);
    expect((await gw.admin.request('GET', '/v1/cert/issue')).status).toBe(405);
  });
});
