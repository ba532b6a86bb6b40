import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { startAzureKeyVault, startAzureKeyVaultCommand, type AzureKeyVaultEmulator } from '../src/index.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

const API = 'api-version=7.4-preview.1';

function call(
  emu: AzureKeyVaultEmulator,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; ca?: string } = {},
): Promise<Answer> {
  const token = options.token === undefined ? emu.token : options.token;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, emu.endpoint),
      {
        method,
        ca: options.ca ?? emu.ca,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function ed25519Verifies(publicKey: Uint8Array, message: Uint8Array, signature: Buffer): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
  return verify(null, message, key, signature);
}

const message = new Uint8Array(32).map((_, i) => i);
const signBody = { alg: 'EdDSA', value: Buffer.from(message).toString('base64url') };

describe('Azure Key Vault emulator', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startAzureKeyVault({ tenantId: 'tenant-a1' });
    emu.createKey('root');
    emu.createKey({ name: 'hsm', kty: 'OKP-HSM' });
    emu.createKey({ name: 'ec', kty: 'EC' });
    emu.createKey({ name: 'rsa', kty: 'RSA' });
  });
  afterAll(() => emu.close());

  it('listens on https://127.0.0.1 with a certificate issued by its own CA', async () => {
    expect(emu.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.ca).toContain('BEGIN CERTIFICATE');
    // Without the CA, a client refuses the server: trust comes only from `ca`.
    await expect(call(emu, 'GET', `/keys/root?${API}`, { ca: '' as string })).rejects.toThrow(/certificate/);
  });

  it('answers a request without a token with the bearer challenge the SDK parses', async () => {
    const before = emu.calls.get('Challenge');
    const answer = await call(emu, 'GET', `/keys/root?${API}`, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(
      'Bearer authorization="https://login.microsoftonline.com/tenant-a1", resource="https://vault.azure.net"',
    );
    expect(answer.json.error.code).toBe('Unauthorized');
    expect(emu.calls.get('Challenge')).toBe(before + 1);
  });

  it('rejects a wrong token with 401 and never echoes it', async () => {
    const answer = await call(emu, 'GET', `/keys/root?${API}`, { token: 'not-the-token-xyz' });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer authorization=/);
    expect(answer.text).not.toContain('not-the-token-xyz');
    expect(answer.text).not.toContain(emu.token);
  });

  it('returns the key bundle of an OKP Ed25519 key', async () => {
    const created = emu.createKey('bundle');
    const answer = await call(emu, 'GET', `/keys/bundle?${API}`);
    expect(answer.status).toBe(200);
    expect(answer.json.key).toMatchObject({ kid: created.kid, kty: 'OKP', crv: 'Ed25519', key_ops: ['sign', 'verify'] });
    expect(Buffer.from(answer.json.key.x, 'base64url')).toEqual(Buffer.from(created.publicKey));
    expect(created.publicKey).toHaveLength(32);
    expect(answer.json.attributes.enabled).toBe(true);
    expect(answer.json.key.d).toBeUndefined();
  });

  it('returns EC P-256, RSA and OKP-HSM keys as Key Vault shapes them', async () => {
    const ec = await call(emu, 'GET', `/keys/ec?${API}`);
    expect(ec.json.key).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(Buffer.from(ec.json.key.y, 'base64url')).toHaveLength(32);
    const rsa = await call(emu, 'GET', `/keys/rsa?${API}`);
    expect(rsa.json.key.kty).toBe('RSA');
    expect(Buffer.from(rsa.json.key.n, 'base64url')).toHaveLength(256);
    expect(rsa.json.key.crv).toBeUndefined();
    const hsm = await call(emu, 'GET', `/keys/hsm?${API}`);
    expect(hsm.json.key).toMatchObject({ kty: 'OKP-HSM', crv: 'Ed25519' });
  });

  it('signs the raw message with EdDSA; the signature verifies with the key from GET', async () => {
    const got = await call(emu, 'GET', `/keys/root?${API}`);
    const kid: string = got.json.key.kid;
    const version = kid.split('/').at(-1)!;
    const answer = await call(emu, 'POST', `/keys/root/${version}/sign?${API}`, { body: signBody });
    expect(answer.status).toBe(200);
    expect(answer.json.kid).toBe(kid);
    const signature = Buffer.from(answer.json.value, 'base64url');
    expect(signature).toHaveLength(64);
    expect(ed25519Verifies(Buffer.from(got.json.key.x, 'base64url'), message, signature)).toBe(true);
    expect(ed25519Verifies(Buffer.from(got.json.key.x, 'base64url'), new Uint8Array(32), signature)).toBe(false);
  });

  it('keeps every version: rotation makes a new current version, old versions still sign', async () => {
    const v1 = emu.createKey('rotating');
    const v2 = emu.rotateKey('rotating');
    expect(v2.version).not.toBe(v1.version);
    expect(Buffer.from(v2.publicKey)).not.toEqual(Buffer.from(v1.publicKey));
    const latest = await call(emu, 'GET', `/keys/rotating?${API}`);
    expect(latest.json.key.kid).toBe(v2.kid);
    const old = await call(emu, 'GET', `/keys/rotating/${v1.version}?${API}`);
    expect(old.json.key.kid).toBe(v1.kid);
    const signed = await call(emu, 'POST', `/keys/rotating/${v1.version}/sign?${API}`, { body: signBody });
    expect(ed25519Verifies(v1.publicKey, message, Buffer.from(signed.json.value, 'base64url'))).toBe(true);
    expect(ed25519Verifies(v2.publicKey, message, Buffer.from(signed.json.value, 'base64url'))).toBe(false);
  });

  it('answers failures in Key Vault error shape', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['GET', `/keys/missing?${API}`, undefined, 404, 'KeyNotFound'],
      ['GET', `/keys/root/00000000000000000000000000000000?${API}`, undefined, 404, 'KeyNotFound'],
      ['POST', `/keys/missing/1/sign?${API}`, signBody, 404, 'KeyNotFound'],
      ['GET', '/keys/root', undefined, 400, 'BadParameter'],
      ['POST', `/keys/root//sign?${API}`, '{not json', 400, 'BadParameter'],
      ['POST', `/keys/root//sign?${API}`, { value: signBody.value }, 400, 'BadParameter'],
      ['POST', `/keys/root//sign?${API}`, { alg: 'EdDSA', value: 'not base64url!' }, 400, 'BadParameter'],
      ['POST', `/keys/root//sign?${API}`, { alg: 'ES256', value: signBody.value }, 400, 'BadParameter'],
      ['POST', `/keys/ec//sign?${API}`, signBody, 400, 'BadParameter'],
      ['GET', `/secrets/x?${API}`, undefined, 404, 'NotFound'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const answer = await call(emu, method, path, { body });
      expect({ path, status: answer.status, code: answer.json?.error?.code }).toEqual({ path, status, code });
      expect(typeof answer.json.error.message).toBe('string');
    }
  });

  it('refuses a token without the sign permission with 403 Forbidden', async () => {
    emu.grant('reader-token', ['get']);
    expect((await call(emu, 'GET', `/keys/root?${API}`, { token: 'reader-token' })).status).toBe(200);
    const answer = await call(emu, 'POST', `/keys/root//sign?${API}`, { token: 'reader-token', body: signBody });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: 'Forbidden', innererror: { code: 'ForbiddenByRbac' } });
  });

  it('refuses to sign with a disabled key', async () => {
    emu.createKey('disabled');
    emu.setKeyEnabled('disabled', false);
    const answer = await call(emu, 'POST', `/keys/disabled//sign?${API}`, { body: signBody });
    expect(answer.status).toBe(403);
    expect(answer.json.error.innererror.code).toBe('KeyDisabled');
  });

  it('refuses an oversized body', async () => {
    const answer = await call(emu, 'POST', `/keys/root//sign?${API}`, { body: { alg: 'EdDSA', value: 'A'.repeat(70_000) } });
    expect(answer.status).toBe(400);
  });
});

describe('Azure Key Vault emulator faults', () => {
  let emu: AzureKeyVaultEmulator;
  let publicKey: Uint8Array;
  beforeAll(async () => {
    emu = await startAzureKeyVault();
    publicKey = emu.createKey('root').publicKey;
    emu.createKey('other');
  });
  afterAll(() => emu.close());

  const sign = () => call(emu, 'POST', `/keys/root//sign?${API}`, { body: signBody });

  it('throttle answers 429 with Retry-After, once per injected time', async () => {
    emu.faults.inject({ operation: 'Sign', fault: { kind: 'throttle', retryAfterSeconds: 7 }, times: 1 });
    const throttled = await sign();
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect(throttled.json.error.code).toBe('Throttled');
    expect((await sign()).status).toBe(200);
  });

  it('unavailable answers 503', async () => {
    emu.faults.inject({ operation: 'Sign', fault: { kind: 'unavailable' }, times: 1 });
    const answer = await sign();
    expect(answer.status).toBe(503);
    expect(answer.json.error.code).toBe('ServiceUnavailable');
  });

  it('faults can target one key by name', async () => {
    emu.faults.inject({ operation: 'GetKey', key: 'other', fault: { kind: 'unavailable' }, times: 1 });
    expect((await call(emu, 'GET', `/keys/root?${API}`)).status).toBe(200);
    expect((await call(emu, 'GET', `/keys/other?${API}`)).status).toBe(503);
    expect((await call(emu, 'GET', `/keys/other?${API}`)).status).toBe(200);
  });

  it('latency still answers correctly', async () => {
    emu.faults.inject({ operation: 'Sign', fault: { kind: 'latency', ms: 20 }, times: 1 });
    const answer = await sign();
    expect(answer.status).toBe(200);
    expect(ed25519Verifies(publicKey, message, Buffer.from(answer.json.value, 'base64url'))).toBe(true);
  });

  it('garbage-signature and wrong-key-signature answer well-formed signatures that do not verify', async () => {
    for (const kind of ['garbage-signature', 'wrong-key-signature'] as const) {
      emu.faults.inject({ operation: 'Sign', fault: { kind }, times: 1 });
      const answer = await sign();
      expect(answer.status).toBe(200);
      const signature = Buffer.from(answer.json.value, 'base64url');
      expect(signature).toHaveLength(64);
      expect(ed25519Verifies(publicKey, message, signature)).toBe(false);
    }
  });

  it('truncated-body cuts the answer short', async () => {
    emu.faults.inject({ operation: 'Sign', fault: { kind: 'truncated-body' }, times: 1 });
    await expect(sign()).rejects.toThrow();
    expect((await sign()).status).toBe(200);
  });

  it('hang never answers, and close() ends the hung connection', async () => {
    const hungEmu = await startAzureKeyVault();
    hungEmu.createKey('root');
    hungEmu.faults.inject({ operation: 'Sign', fault: { kind: 'hang' } });
    const pending = call(hungEmu, 'POST', `/keys/root//sign?${API}`, { body: signBody });
    const outcome = pending.then(
      () => 'answered',
      () => 'connection ended',
    );
    // Wait until the emulator has seen the call, then close it under the client.
    while (hungEmu.calls.get('Sign') === 0) await new Promise((r) => setTimeout(r, 5));
    await hungEmu.close();
    expect(await outcome).toBe('connection ended');
    expect(hungEmu.history.at(-1)?.operation).toBe('Sign');
    expect(hungEmu.history.at(-1)?.status).toBeUndefined();
  });

  it('counts calls per operation and keeps them in arrival order', async () => {
    emu.calls.reset();
    const start = emu.history.length;
    await call(emu, 'GET', `/keys/root?${API}`, { token: null });
    await call(emu, 'GET', `/keys/root?${API}`);
    await sign();
    expect(emu.calls.snapshot()).toEqual({ Challenge: 1, GetKey: 1, Sign: 1 });
    expect(emu.history.slice(start).map((r) => `${r.operation}:${r.status}`)).toEqual(['Challenge:401', 'GetKey:200', 'Sign:200']);
  });

  it('hands out its token through credential() and records the scope asked for', async () => {
    const token = await emu.credential().getToken('https://vault.azure.net/.default', { tenantId: emu.tenantId });
    expect(token.token).toBe(emu.token);
    expect(emu.tokenRequests.at(-1)).toEqual({ scopes: ['https://vault.azure.net/.default'], tenantId: emu.tenantId });
  });
});

describe('a1-emulators azure', () => {
  it('starts with a demo Ed25519 key and writes the CA to a file', async () => {
    const running = await startAzureKeyVaultCommand({ port: 0, host: '127.0.0.1' });
    const described = running.describe() as any;
    try {
      expect(described.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(described.keys).toEqual([expect.objectContaining({ name: 'a1-root', kty: 'OKP', crv: 'Ed25519' })]);
      expect(described.keys[0].publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(described.caFile, 'utf8')).toBe(described.ca);
      expect(described.token).toEqual(expect.any(String));
      expect(described.env).toMatchObject({ AZURE_KEYVAULT_URL: described.endpoint, A1_AZURE_KEY: 'a1-root' });
    } finally {
      await running.close();
    }
    expect(existsSync(described.caFile)).toBe(false);
  });
});
