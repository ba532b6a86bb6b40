/**
 * Where the Vault emulator must be as strict as Vault: tokens that expire and renew, AppRole
 * secret-id TTL and use limits, Kubernetes and JWT logins, derived and exportable transit keys,
 * and time-based rate-limit quotas. See the README's Vault table for the references.
 */
import { createPublicKey, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVaultTransit, type VaultTransitEmulator } from '../src/vault/index.js';

let clock = 1_700_000_000_000;
let vault: VaultTransitEmulator;
beforeEach(async () => {
  vault = await startVaultTransit({ now: () => clock });
});
afterEach(() => vault.close());

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${vault.endpoint}/v1/${path}`, {
    method,
    headers: { ...(options.token ? { 'x-vault-token': options.token } : {}), 'content-type': 'application/json' },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

describe('Vault emulator: tokens expire and renew', () => {
  it('a token stops working when its TTL has passed', async () => {
    vault.createKey({ name: 'k' });
    const token = vault.createToken({ ttlSeconds: 60 });
    expect((await call('GET', 'transit/keys/k', { token })).status).toBe(200);
    clock += 60_000;
    const expired = await call('GET', 'transit/keys/k', { token });
    expect(expired.status).toBe(403);
    expect(expired.json.errors).toEqual(['permission denied', 'invalid token']);
  });

  it('a login answers with the TTL it granted, even when the clock moves between grant and answer', async () => {
    // Every read of the clock advances it by 1 ms, as on a loaded machine: 60 s must not read 59.
    await vault.close();
    vault = await startVaultTransit({ now: () => (clock += 1) });
    const role = vault.addAppRole({ tokenTtlSeconds: 60 });
    const login = await call('POST', 'auth/approle/login', { body: { role_id: role.roleId, secret_id: role.secretId } });
    expect(login.status).toBe(200);
    expect(login.json.auth.lease_duration).toBe(60);
  });

  it('lookup-self reports the remaining TTL; renew-self extends it, never past the max TTL', async () => {
    const token = vault.createToken({ ttlSeconds: 60, explicitMaxTtlSeconds: 90 });
    clock += 50_000;
    const looked = await call('GET', 'auth/token/lookup-self', { token });
    expect(looked.json.data).toMatchObject({ ttl: 10, renewable: true });
    const renewed = await call('POST', 'auth/token/renew-self', { token, body: {} });
    expect(renewed.status).toBe(200);
    expect(renewed.json.auth).toMatchObject({ lease_duration: 40, renewable: true });
    expect(renewed.json.auth.client_token).toBe(token);
    clock += 39_000;
    expect((await call('GET', 'auth/token/lookup-self', { token })).json.data.ttl).toBe(1);
    clock += 1_000;
    expect((await call('POST', 'auth/token/renew-self', { token, body: {} })).status).toBe(403);
  });

  it('a non-renewable token cannot be renewed', async () => {
    const token = vault.createToken({ ttlSeconds: 60, renewable: false });
    const refused = await call('POST', 'auth/token/renew-self', { token, body: {} });
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual(['lease is not renewable']);
  });
});

describe('Vault emulator: login methods', () => {
  it('AppRole secret ids expire (secret_id_ttl) and run out of uses (secret_id_num_uses)', async () => {
    const limited = vault.addAppRole({ secretIdNumUses: 2 });
    const login = (role: { roleId: string; secretId: string }) => call('POST', 'auth/approle/login', { body: { role_id: role.roleId, secret_id: role.secretId } });
    expect((await login(limited)).status).toBe(200);
    expect((await login(limited)).status).toBe(200);
    const usedUp = await login(limited);
    expect(usedUp.status).toBe(400);
    expect(usedUp.json.errors).toEqual(['invalid role or secret ID']);
    const shortLived = vault.addAppRole({ secretIdTtlSeconds: 30 });
    expect((await login(shortLived)).status).toBe(200);
    clock += 30_000;
    expect((await login(shortLived)).status).toBe(400);
  });

  it('Kubernetes: role + service-account JWT; wrong JWT 403, unknown role 400', async () => {
    vault.addKubernetesRole({ role: 'a1-signer', jwts: ['sa-jwt-1'], tokenTtlSeconds: 120 });
    const ok = await call('POST', 'auth/kubernetes/login', { body: { role: 'a1-signer', jwt: 'sa-jwt-1' } });
    expect(ok.status).toBe(200);
    expect(ok.json.auth).toMatchObject({ lease_duration: 120, renewable: true });
    vault.createKey({ name: 'k' });
    expect((await call('GET', 'transit/keys/k', { token: ok.json.auth.client_token })).status).toBe(200);
    expect((await call('POST', 'auth/kubernetes/login', { body: { role: 'a1-signer', jwt: 'stolen' } })).status).toBe(403);
    const unknown = await call('POST', 'auth/kubernetes/login', { body: { role: 'nobody', jwt: 'sa-jwt-1' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors).toEqual(['invalid role name "nobody"']);
  });

  it('JWT/OIDC: role + JWT at its own mount', async () => {
    vault.addJwtRole({ role: 'ci', jwts: ['oidc-jwt'], mount: 'oidc-ci' });
    expect((await call('POST', 'auth/oidc-ci/login', { body: { role: 'ci', jwt: 'oidc-jwt' } })).status).toBe(200);
    expect((await call('POST', 'auth/oidc-ci/login', { body: { role: 'ci', jwt: 'forged' } })).status).toBe(400);
    const unknown = await call('POST', 'auth/oidc-ci/login', { body: { role: 'other', jwt: 'oidc-jwt' } });
    expect(unknown.json.errors).toEqual(['role "other" could not be found']);
  });
});

describe('Vault emulator: derived and exportable keys', () => {
  it('a derived ed25519 key shows no public key without a context and signs only with one', async () => {
    const token = vault.rootToken;
    await call('POST', 'transit/keys/derived', { token, body: { type: 'ed25519', derived: true } });
    const read = await call('GET', 'transit/keys/derived', { token });
    expect(read.json.data).toMatchObject({ derived: true, kdf: 'hkdf_sha256', supports_signing: true });
    expect(read.json.data.keys['1'].public_key).toBe('');
    const input = Buffer.from('message').toString('base64');
    const refused = await call('POST', 'transit/sign/derived', { token, body: { input } });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatch(/^missing 'context' for key derivation/);
    const context = Buffer.from('tenant-7').toString('base64');
    const withContext = await call('GET', `transit/keys/derived?context=${encodeURIComponent(context)}`, { token });
    const publicKey = Buffer.from(withContext.json.data.keys['1'].public_key, 'base64');
    expect(publicKey).toHaveLength(32);
    const signed = await call('POST', 'transit/sign/derived', { token, body: { input, context } });
    const signature = Buffer.from(signed.json.data.signature.split(':')[2], 'base64');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
    expect(verify(null, Buffer.from('message'), key, signature)).toBe(true);
  });

  it('exports the signing key of an exportable key only', async () => {
    const token = vault.rootToken;
    vault.createKey({ name: 'exportable', exportable: true });
    vault.createKey({ name: 'sealed' });
    const exported = await call('GET', 'transit/export/signing-key/exportable', { token });
    expect(exported.status).toBe(200);
    expect(Buffer.from(exported.json.data.keys['1'], 'base64')).toHaveLength(64);
    expect(Buffer.from(exported.json.data.keys['1'], 'base64').subarray(32)).toEqual(Buffer.from(vault.getKey('exportable')!.ed25519PublicKey()!));
    const refused = await call('GET', 'transit/export/signing-key/sealed', { token });
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual(['private key material is not exportable']);
  });
});

describe('Vault emulator: time-based rate-limit quota', () => {
  it('every call over the quota is 429 until the interval ends, however often it is retried', async () => {
    vault.createKey({ name: 'k' });
    vault.faults.now = () => clock;
    vault.faults.quota({ operation: 'Sign', limit: 1, windowMs: 10_000 });
    const sign = () => call('POST', 'transit/sign/k', { token: vault.rootToken, body: { input: 'AA==' } });
    expect((await sign()).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await sign()).status).toBe(429);
    clock += 10_000;
    expect((await sign()).status).toBe(200);
  });
});
