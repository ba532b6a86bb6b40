/**
 * Where the Key Vault emulator must be as strict as the service: api-versions, the OKP preview
 * model, key management (create / update, nbf / exp), the three kinds of 403, and time-based
 * throttling with Retry-After. See the README's Key Vault table for the references.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { startAzureKeyVault, type AzureKeyVaultEmulator } from '../src/index.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

function call(emu: AzureKeyVaultEmulator, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, emu.endpoint),
      {
        method,
        ca: emu.ca,
        headers: {
          authorization: `Bearer ${options.token ?? emu.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const PREVIEW = 'api-version=7.4-preview.1';
const GA = 'api-version=2025-07-01';
const signBody = { alg: 'EdDSA', value: Buffer.alloc(32, 7).toString('base64url') };
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Key Vault emulator: api-versions and the OKP preview model', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startAzureKeyVault();
    emu.createKey('root');
    emu.createKey({ name: 'ec', kty: 'EC' });
  });
  afterAll(() => emu.close());

  it('answers an unknown or retired api-version with the service error', async () => {
    for (const version of ['7.9', '2015-06-01', '7.3-preview', 'latest']) {
      const answer = await call(emu, 'GET', `/keys/ec?api-version=${version}`);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toEqual({
        code: 'BadParameter',
        message: `The specified version (${version}) is not recognized. Consider using the latest supported version (2025-07-01).`,
      });
    }
  });

  it('serves non-OKP keys under the GA api-version the SDK sends by default', async () => {
    const answer = await call(emu, 'GET', `/keys/ec?${GA}`);
    expect(answer.status).toBe(200);
    expect(answer.json.key.kty).toBe('EC');
  });

  it('knows OKP keys and EdDSA only under 7.4-preview.1', async () => {
    const read = await call(emu, 'GET', `/keys/root?${GA}`);
    expect(read.status).toBe(400);
    expect(read.json.error.code).toBe('BadParameter');
    expect(read.json.error.message).toContain('7.4-preview.1');
    const signed = await call(emu, 'POST', `/keys/root//sign?${GA}`, { body: signBody });
    expect(signed.status).toBe(400);
    expect(signed.json.error.message).toMatch(/EdDSA/);
    const created = await call(emu, 'POST', `/keys/new-okp/create?${GA}`, { body: { kty: 'OKP', crv: 'Ed25519' } });
    expect(created.status).toBe(400);
    expect((await call(emu, 'GET', `/keys/root?${PREVIEW}`)).status).toBe(200);
    expect((await call(emu, 'POST', `/keys/root//sign?${PREVIEW}`, { body: signBody })).status).toBe(200);
  });
});

describe('Key Vault emulator: key management and key states', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startAzureKeyVault();
  });
  afterAll(() => emu.close());

  it('creates an OKP key (POST /keys/NAME/create) and a new version on the same name', async () => {
    const first = await call(emu, 'POST', `/keys/made/create?${PREVIEW}`, { body: { kty: 'OKP-HSM', crv: 'Ed25519', key_ops: ['sign', 'verify'] } });
    expect(first.status).toBe(200);
    expect(first.json.key).toMatchObject({ kty: 'OKP-HSM', crv: 'Ed25519', key_ops: ['sign', 'verify'] });
    const second = await call(emu, 'POST', `/keys/made/create?${PREVIEW}`, { body: { kty: 'OKP' } });
    expect(second.json.key.kid).not.toBe(first.json.key.kid);
    expect((await call(emu, 'GET', `/keys/made?${PREVIEW}`)).json.key.kid).toBe(second.json.key.kid);
    const badCurve = await call(emu, 'POST', `/keys/made/create?${PREVIEW}`, { body: { kty: 'OKP', crv: 'P-256' } });
    expect(badCurve.status).toBe(400);
  });

  it('PATCH enabled:false makes sign answer 403 KeyDisabled; enabling again restores it', async () => {
    const kid: string = (await call(emu, 'POST', `/keys/toggled/create?${PREVIEW}`, { body: { kty: 'OKP' } })).json.key.kid;
    const version = kid.split('/').at(-1);
    const patched = await call(emu, 'PATCH', `/keys/toggled/${version}?${PREVIEW}`, { body: { attributes: { enabled: false } } });
    expect(patched.json.attributes.enabled).toBe(false);
    const refused = await call(emu, 'POST', `/keys/toggled/${version}/sign?${PREVIEW}`, { body: signBody });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toEqual({
      code: 'Forbidden',
      message: 'Operation sign is not allowed on a disabled key.',
      innererror: { code: 'KeyDisabled' },
    });
    await call(emu, 'PATCH', `/keys/toggled/${version}?${PREVIEW}`, { body: { attributes: { enabled: true } } });
    expect((await call(emu, 'POST', `/keys/toggled/${version}/sign?${PREVIEW}`, { body: signBody })).status).toBe(200);
  });

  it('honours nbf and exp: no signing before nbf or from exp on', async () => {
    const early = await call(emu, 'POST', `/keys/early/create?${PREVIEW}`, { body: { kty: 'OKP', attributes: { nbf: nowSeconds() + 3600 } } });
    expect(early.json.attributes.nbf).toBeGreaterThan(nowSeconds());
    const notYet = await call(emu, 'POST', `/keys/early//sign?${PREVIEW}`, { body: signBody });
    expect(notYet.status).toBe(403);
    expect(notYet.json.error.innererror.code).toBe('KeyNotYetValid');
    await call(emu, 'POST', `/keys/late/create?${PREVIEW}`, { body: { kty: 'OKP', attributes: { exp: nowSeconds() - 1 } } });
    const expired = await call(emu, 'POST', `/keys/late//sign?${PREVIEW}`, { body: signBody });
    expect(expired.status).toBe(403);
    expect(expired.json.error.innererror.code).toBe('KeyExpired');
    // GET still answers: only sign (with encrypt and wrapKey) is refused outside the window.
    expect((await call(emu, 'GET', `/keys/late?${PREVIEW}`)).status).toBe(200);
  });

  it('models RBAC, access-policy and firewall 403s, each with its own inner code', async () => {
    await call(emu, 'POST', `/keys/guarded/create?${PREVIEW}`, { body: { kty: 'OKP' } });
    emu.grant('rbac-reader', ['get']);
    emu.grant('policy-reader', ['get'], { model: 'access-policy' });
    const rbac = await call(emu, 'POST', `/keys/guarded//sign?${PREVIEW}`, { token: 'rbac-reader', body: signBody });
    expect(rbac.status).toBe(403);
    expect(rbac.json.error.innererror.code).toBe('ForbiddenByRbac');
    expect(rbac.json.error.message).toContain('Microsoft.KeyVault/vaults/keys/sign/action');
    const policy = await call(emu, 'POST', `/keys/guarded//sign?${PREVIEW}`, { token: 'policy-reader', body: signBody });
    expect(policy.status).toBe(403);
    expect(policy.json.error.innererror.code).toBe('ForbiddenByPolicy');
    expect(policy.json.error.message).toMatch(/does not have keys sign permission on key vault/);
    emu.setNetworkAccess('deny');
    try {
      const firewall = await call(emu, 'GET', `/keys/guarded?${PREVIEW}`);
      expect(firewall.status).toBe(403);
      expect(firewall.json.error.innererror.code).toBe('ForbiddenByFirewall');
      expect(firewall.json.error.message).toMatch(/^Client address is not authorized and caller is not a trusted service/);
    } finally {
      emu.setNetworkAccess('allow');
    }
  });
});

describe('Key Vault emulator: time-based throttling', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startAzureKeyVault();
    emu.createKey('root');
  });
  afterAll(() => emu.close());

  it('over the quota, every call in the window is 429 with Retry-After until the window ends', async () => {
    let clock = 1_000_000;
    emu.faults.now = () => clock;
    emu.faults.quota({ operation: 'Sign', limit: 2, windowMs: 10_000 });
    const sign = () => call(emu, 'POST', `/keys/root//sign?${PREVIEW}`, { body: signBody });
    expect((await sign()).status).toBe(200);
    expect((await sign()).status).toBe(200);
    const throttled = await sign();
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('10');
    expect(throttled.json.error.code).toBe('Throttled');
    clock += 6_000;
    const stillThrottled = await sign();
    expect(stillThrottled.status).toBe(429);
    expect(stillThrottled.headers['retry-after']).toBe('4');
    clock += 4_000;
    expect((await sign()).status).toBe(200);
    emu.faults.clear();
  });
});
