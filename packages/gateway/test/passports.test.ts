import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPassport, toHex } from '@a1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyRing, createApiKey } from '../src/index.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'a1-gateway-passports-'));
let gw: TestGateway;
let issuerKey: string;
beforeAll(async () => {
  const issuer = await createApiKey('issuer', ['issue']);
  issuerKey = issuer.token;
  gw = await startTestGateway({ env: { A1_GATEWAY_PASSPORTS_DIR: dir }, keys: new ApiKeyRing([issuer.record]) });
});
afterAll(async () => {
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/v1/passports/* (§5)', () => {
  it('not served unless a directory is configured', async () => {
    const plain = await startTestGateway();
    try {
      expect((await plain.admin.request('GET', '/v1/passports/list')).status).toBe(404);
      expect((await plain.admin.request('POST', '/v1/passports/issue', { namespace: 'a', capabilities: ['x'], ttl: '1d' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('admin role only: 401 without a credential, 403 with the issue role', async () => {
    expect((await gw.client.request('GET', '/v1/passports/list')).status).toBe(401);
    expect((await gw.client.with({ credential: issuerKey }).request('GET', '/v1/passports/list')).status).toBe(403);
  });

  it('issue writes a verifiable passport signed by the gateway key into the directory; list and read it', async () => {
    const answer = await gw.admin.request('POST', '/v1/passports/issue', { namespace: 'acme/trading', capabilities: ['trade.equity', 'audit.read'], ttl: '30d' });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json)).toEqual(['success', 'namespace', 'path', 'public_key_hex', 'capabilities', 'ttl_seconds', 'expires_at', 'error']);
    expect(answer.json).toMatchObject({ success: true, namespace: 'acme/trading', path: join(dir, 'acme-trading.json'), public_key_hex: gw.services.publicKeyHex, ttl_seconds: 2_592_000, error: null });
    expect(answer.json.expires_at).toMatch(/^Unix timestamp: \d+ {2}\(~30 days from now\)$/);
    const passport = loadPassport(readFileSync(join(dir, 'acme-trading.json'), 'utf8'));
    expect(toHex(passport.holderPk)).toBe(gw.services.publicKeyHex);

    const list = await gw.admin.request('GET', '/v1/passports/list');
    expect(list.json.directory).toBe(dir);
    expect(list.json.passports[0]).toMatchObject({ filename: 'acme-trading.json', namespace: 'acme/trading', status: 'valid' });
    expect([29, 30]).toContain(list.json.passports[0].days_remaining);
    const read = await gw.admin.request('GET', '/v1/passports/read?path=acme-trading.json');
    expect(read.status).toBe(200);
    expect(read.text).toBe(readFileSync(join(dir, 'acme-trading.json'), 'utf8'));
  });

  it('client paths never leave the directory', async () => {
    const escape = await gw.admin.request('POST', '/v1/passports/issue', { namespace: 'x', capabilities: ['a'], ttl: '1d', output_path: '/tmp/evil.json' });
    expect(escape.json).toMatchObject({ success: false });
    expect(existsSync('/tmp/evil.json')).toBe(false);
    expect((await gw.admin.request('GET', '/v1/passports/read?path=../../etc/passwd')).status).toBe(403);
    expect((await gw.admin.request('GET', '/v1/passports/read')).json).toEqual({ error: 'path required' });
    expect((await gw.admin.request('GET', '/v1/passports/read?path=missing.json')).status).toBe(404);
    expect((await gw.admin.request('POST', '/v1/passports/renew', { path: '../acme-trading.json', ttl: '1d' })).status).toBe(404);
    const restore = await gw.admin.request('POST', '/v1/passports/restore', { passports: [{ path: 'notes.txt', content: {} }] });
    expect(restore.json).toEqual({ success: true, restored: 0, skipped: 1, error: null });
  });

  it('bad inputs that crash upstream are answered (success: false)', async () => {
    for (const [body, error] of [
      [{ namespace: '', capabilities: ['a'], ttl: '1d' }, 'Namespace cannot be empty'],
      [{ namespace: 'n', capabilities: [], ttl: '1d' }, 'At least one capability is required'],
      [{ namespace: 'n', capabilities: ['a'], ttl: '99999999999999999999y' }, "Invalid TTL '99999999999999999999y'. Use '30d', '7d', '1y', '3600' etc."],
      [{ namespace: 'n', capabilities: ['a'], ttl: '0' }, "Invalid TTL '0'. Use '30d', '7d', '1y', '3600' etc."],
    ] as const) {
      const answer = await gw.admin.request('POST', '/v1/passports/issue', body);
      expect([answer.status, answer.json.success, answer.json.error]).toEqual([200, false, error]);
    }
    const huge = await gw.admin.request('POST', '/v1/passports/issue', { namespace: 'big', capabilities: Array.from({ length: 2000 }, (_, i) => `capability.number.${i}`), ttl: '1d' });
    expect([huge.status, huge.json.success]).toEqual([200, false]);
  });

  it('renew re-issues in place; revoke-by-namespace revokes the cert and deletes the file', async () => {
    const renewed = await gw.admin.request('POST', '/v1/passports/renew', { path: 'acme-trading.json', ttl: '7d' });
    expect(renewed.json).toMatchObject({ success: true, ttl_seconds: 604_800 });
    const revoked = await gw.admin.request('POST', '/v1/passports/revoke-by-namespace', { namespace: 'acme/trading' });
    expect(revoked.json).toMatchObject({ success: true, namespace: 'acme/trading', error: null });
    expect((await gw.client.certStatus(revoked.json.fingerprint_hex)).json.revoked).toBe(true);
    expect(existsSync(join(dir, 'acme-trading.json'))).toBe(false);
    expect((await gw.admin.request('POST', '/v1/passports/revoke-by-namespace', { namespace: 'acme/trading' })).json.success).toBe(false);
  });
});
