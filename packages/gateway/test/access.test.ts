import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyRing, createApiKey, parseApiKeysFile } from '../src/index.js';
import { newAgent } from './support/chains.js';
import { ADMIN_SECRET, startTestGateway, type TestGateway } from './support/gateway.js';

const agent = newAgent();
const issueBody = { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }] };
const fingerprint = 'ab'.repeat(32);

let gw: TestGateway;
let issuer: string;
let revoker: string;
let admin: string;
let limited: string;
beforeAll(async () => {
  const keys = await Promise.all([
    createApiKey('ci-issuer', ['issue']),
    createApiKey('ops-revoker', ['revoke']),
    createApiKey('root-admin', ['admin']),
    createApiKey('slow-client', ['issue'], 2),
  ]);
  [issuer, revoker, admin, limited] = keys.map((k) => k.token) as [string, string, string, string];
  // Round trip through the file format: the records hold no secret.
  const ring = new ApiKeyRing(parseApiKeysFile(JSON.parse(JSON.stringify({ keys: keys.map((k) => k.record) }))));
  gw = await startTestGateway({ keys: ring });
});
afterAll(() => gw?.close());

describe('named API keys with roles', () => {
  it('records are scrypt hashes; the key itself appears nowhere in them', async () => {
    const { token, record } = await createApiKey('n', ['issue']);
    expect(record.hash).toMatch(/^scrypt:16384:8:1:/);
    expect(JSON.stringify(record)).not.toContain(token.split('_').at(-1));
  });

  it('each role opens its routes only: issue → issue, revoke → revoke, admin → both', async () => {
    const as = (credential: string) => gw.client.with({ credential });
    expect((await as(issuer).issueCert(issueBody)).status).toBe(201);
    expect((await as(issuer).revoke(fingerprint)).status).toBe(403);
    expect((await as(revoker).revoke(fingerprint)).status).toBe(200);
    expect((await as(revoker).issueCert(issueBody)).status).toBe(403);
    expect((await as(admin).issueCert(issueBody)).status).toBe(201);
    expect((await as(admin).revokeBatch([fingerprint])).status).toBe(200);
    const forbidden = await as(revoker).issueCert(issueBody);
    expect(forbidden.json.error).toBe('this credential lacks the role this route requires');
  });

  it('a wrong secret for a known key id, or a made-up key, is 401', async () => {
    const tampered = issuer.slice(0, -4) + (issuer.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await gw.client.with({ credential: tampered }).issueCert(issueBody)).status).toBe(401);
    expect((await gw.client.with({ credential: 'a1gw_000000000000_' + 'x'.repeat(43) }).issueCert(issueBody)).status).toBe(401);
  });

  it('the admin secret keeps working beside keys', async () => {
    expect((await gw.admin.issueCert(issueBody)).status).toBe(201);
  });

  it('a per-key rate limit answers 429 once the bucket is empty', async () => {
    const client = gw.client.with({ credential: limited });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.issueCert(issueBody)).status);
    expect(statuses.slice(0, 2)).toEqual([201, 201]);
    expect(statuses).toContain(429);
  });

  it('no secret or key reaches a log line or a response', async () => {
    const logs = gw.logs.join('\n');
    for (const secret of [ADMIN_SECRET, issuer, revoker, admin, limited]) expect(logs).not.toContain(secret);
    expect(logs).toContain('[redacted]');
  });
});

describe('keys file validation', () => {
  it('names the bad entry', () => {
    expect(() => parseApiKeysFile({})).toThrow(/"keys"/);
    expect(() => parseApiKeysFile({ keys: [{ id: 'zz', name: 'a', roles: ['issue'], hash: 'x' }] })).toThrow(/keys\[0\]\.id/);
    expect(() => parseApiKeysFile({ keys: [{ id: '0123456789ab', name: 'a', roles: ['root'], hash: 'x' }] })).toThrow(/keys\[0\]\.roles/);
  });
});

describe('per-IP rate limit (§1.4)', () => {
  it('429 with the fixed text once the bucket (A1_RATE_LIMIT_RPS, burst the same) is empty; applies before auth', async () => {
    const small = await startTestGateway({ env: { A1_RATE_LIMIT_RPS: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await small.client.health()).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses).toContain(429);
      const limitedAnswer = await small.client.issueCert(issueBody);
      expect([limitedAnswer.status, limitedAnswer.json]).toEqual([429, { error: 'rate limit exceeded' }]);
      expect(limitedAnswer.headers.get('x-a1-protocol')).toBe('dyolo_v2.8.0');
    } finally {
      await small.close();
    }
  });

  it('in x-forwarded-for mode the rightmost entry is the client; a request without the header is 500', async () => {
    const proxied = await startTestGateway({ env: { A1_TRUSTED_PROXY_MODE: 'x-forwarded-for', A1_RATE_LIMIT_RPS: '2' } });
    try {
      const from = (ip: string) => proxied.client.request('GET', '/health', undefined, { 'x-forwarded-for': `1.1.1.1, ${ip}` });
      expect([(await from('9.9.9.1')).status, (await from('9.9.9.1')).status, (await from('9.9.9.1')).status]).toContain(429);
      expect((await from('9.9.9.2')).status).toBe(200);
      expect((await proxied.client.health()).status).toBe(500);
    } finally {
      await proxied.close();
    }
  });
});

describe('authorize routes may require a credential (option)', () => {
  it('401 without one, verdicts with one', async () => {
    const strict = await startTestGateway({ env: { A1_GATEWAY_REQUIRE_KEY_FOR_AUTHORIZE: '1' } });
    try {
      const body = { chain: { version: 1, principal_pk: '00'.repeat(32), principal_scope: '00'.repeat(32), certs: [] }, intent_name: 'x', executor_pk_hex: agent.pkHex };
      expect((await strict.client.authorize(body)).status).toBe(401);
      expect((await strict.client.verifyToken({ token: {} })).status).toBe(401);
      expect((await strict.admin.authorize(body)).status).toBe(403);
    } finally {
      await strict.close();
    }
  });
});
