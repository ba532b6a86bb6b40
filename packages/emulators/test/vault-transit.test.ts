import { createPublicKey, verify } from 'node:crypto';
import nodeVault from 'node-vault';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVaultTransit, type VaultTransitEmulator } from '../src/vault/index.js';
import { startVaultCommand } from '../src/vault/command.js';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function verifyEd25519(publicKeyB64: string, message: Buffer, signatureB64: string): boolean {
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyB64, 'base64')]), format: 'der', type: 'spki' });
  return verify(null, message, key, Buffer.from(signatureB64, 'base64'));
}

function parseEnvelope(signature: string): { version: number; bytes: Buffer } {
  const m = /^vault:v(\d+):([A-Za-z0-9+/=]+)$/.exec(signature);
  if (!m) throw new Error(`not a vault signature: ${signature}`);
  return { version: Number(m[1]), bytes: Buffer.from(m[2]!, 'base64') };
}

async function apiError(p: Promise<unknown>): Promise<{ statusCode: number; body: { errors: string[] } }> {
  try {
    await p;
  } catch (e) {
    return (e as { response: { statusCode: number; body: { errors: string[] } } }).response;
  }
  throw new Error('expected the call to fail');
}

let vault: VaultTransitEmulator;
beforeEach(async () => {
  vault = await startVaultTransit();
});
afterEach(async () => {
  await vault.close();
});

const message = Buffer.from('a1 signable message, 32 bytes!!!');

describe('Vault Transit emulator with the real node-vault client', () => {
  it('reads an ed25519 key in Vault\'s shape and signs with it', async () => {
    const created = vault.createKey({ name: 'root' });
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    const read = await client.read('transit/keys/root');
    expect(read.data).toMatchObject({
      type: 'ed25519',
      latest_version: 1,
      min_decryption_version: 1,
      supports_signing: true,
      name: 'root',
    });
    const publicKey = read.data.keys['1'].public_key as string;
    expect(Buffer.from(publicKey, 'base64')).toEqual(Buffer.from(created.publicKey!));
    const signed = await client.write('transit/sign/root', { input: message.toString('base64') });
    const env = parseEnvelope(signed.data.signature);
    expect(env.version).toBe(1);
    expect(signed.data.key_version).toBe(1);
    expect(env.bytes).toHaveLength(64);
    expect(verifyEd25519(publicKey, message, env.bytes.toString('base64'))).toBe(true);
    expect(verifyEd25519(publicKey, Buffer.from('other'), env.bytes.toString('base64'))).toBe(false);
  });

  it('rotates, and signs with the requested key_version or the latest', async () => {
    vault.createKey({ name: 'root' });
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    const rotated = await client.write('transit/keys/root/rotate', {});
    expect(rotated.data.latest_version).toBe(2);
    const keys = (await client.read('transit/keys/root')).data.keys;
    const latest = await client.write('transit/sign/root', { input: message.toString('base64') });
    const pinned = await client.write('transit/sign/root', { input: message.toString('base64'), key_version: 1 });
    expect(parseEnvelope(latest.data.signature).version).toBe(2);
    expect(parseEnvelope(pinned.data.signature).version).toBe(1);
    const sigV1 = parseEnvelope(pinned.data.signature).bytes.toString('base64');
    const sigV2 = parseEnvelope(latest.data.signature).bytes.toString('base64');
    expect(verifyEd25519(keys['1'].public_key, message, sigV1)).toBe(true);
    expect(verifyEd25519(keys['2'].public_key, message, sigV2)).toBe(true);
    expect(verifyEd25519(keys['2'].public_key, message, sigV1)).toBe(false);
    const tooNew = await apiError(client.write('transit/sign/root', { input: message.toString('base64'), key_version: 3 }));
    expect(tooNew.statusCode).toBe(400);
    expect(tooNew.body.errors[0]).toMatch(/higher than the latest key version/);
  });

  it('creates keys over the API like `vault write transit/keys/KEY type=ed25519`', async () => {
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    await client.write('transit/keys/made', { type: 'ed25519' });
    expect((await client.read('transit/keys/made')).data.type).toBe('ed25519');
    const bad = await apiError(client.write('transit/keys/odd', { type: 'rsa-1' }));
    expect(bad.statusCode).toBe(400);
    expect(vault.calls.get('CreateKey')).toBe(2);
  });

  it('answers an unknown key with 404 and an unknown route with Vault\'s error body', async () => {
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    expect((await apiError(client.read('transit/keys/none'))).statusCode).toBe(404);
    const sign = await apiError(client.write('transit/sign/none', { input: 'AA==' }));
    expect(sign).toMatchObject({ statusCode: 400, body: { errors: ['signing key not found'] } });
    const route = await apiError(client.read('nowhere/keys/x'));
    expect(route.statusCode).toBe(404);
    expect(route.body.errors[0]).toMatch(/no handler for route/);
  });

  it('checks X-Vault-Token: missing or unknown tokens get 403', async () => {
    vault.createKey({ name: 'root' });
    const anonymous = nodeVault({ endpoint: vault.endpoint });
    anonymous.token = '';
    expect(await apiError(anonymous.read('transit/keys/root'))).toMatchObject({ statusCode: 403, body: { errors: ['permission denied'] } });
    const forged = nodeVault({ endpoint: vault.endpoint, token: 'hvs.forged' });
    expect(await apiError(forged.read('transit/keys/root'))).toMatchObject({
      statusCode: 403,
      body: { errors: ['permission denied', 'invalid token'] },
    });
    expect(vault.calls.get('PermissionDenied')).toBe(2);
  });

  it('logs in with AppRole, and the token stops working once it expires', async () => {
    vault.createKey({ name: 'root' });
    const role = vault.addAppRole({ tokenTtlSeconds: 60 });
    const client = nodeVault({ endpoint: vault.endpoint });
    client.token = '';
    const login = await client.approleLogin({ role_id: role.roleId, secret_id: role.secretId });
    expect(login.auth.lease_duration).toBe(60);
    expect(client.token).toBe(login.auth.client_token);
    await client.read('transit/keys/root');
    vault.tokens.expireAll();
    const expired = await apiError(client.read('transit/keys/root'));
    expect(expired.statusCode).toBe(403);
    expect(expired.body.errors).toContain('invalid token');
    const wrong = await apiError(client.approleLogin({ role_id: role.roleId, secret_id: 'wrong' }));
    expect(wrong).toMatchObject({ statusCode: 400, body: { errors: ['invalid role or secret ID'] } });
    expect(vault.calls.get('Login')).toBe(2);
  });

  it('expires tokens by TTL on its clock', async () => {
    let now = 1_000_000;
    await vault.close();
    vault = await startVaultTransit({ now: () => now });
    vault.createKey({ name: 'root' });
    const token = vault.createToken({ ttlSeconds: 10 });
    const client = nodeVault({ endpoint: vault.endpoint, token });
    await client.read('transit/keys/root');
    now += 10_000;
    expect((await apiError(client.read('transit/keys/root'))).statusCode).toBe(403);
  });

  it('scopes keys and tokens by X-Vault-Namespace', async () => {
    vault.createKey({ name: 'root', namespace: 'team-a' });
    vault.createKey({ name: 'root', namespace: 'team-b' });
    const rootA = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken, namespace: 'team-a' });
    const rootB = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken, namespace: 'team-b' });
    const pkA = (await rootA.read('transit/keys/root')).data.keys['1'].public_key;
    const pkB = (await rootB.read('transit/keys/root')).data.keys['1'].public_key;
    expect(pkA).not.toBe(pkB);
    const rootNs = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    (rootNs as { namespace?: string }).namespace = undefined;
    expect((await apiError(rootNs.read('transit/keys/root'))).statusCode).toBe(404);
    const tokenB = vault.createToken({ namespace: 'team-b', ttlSeconds: 60 });
    const bInA = nodeVault({ endpoint: vault.endpoint, token: tokenB, namespace: 'team-a' });
    expect((await apiError(bInA.read('transit/keys/root'))).statusCode).toBe(403);
    const bInB = nodeVault({ endpoint: vault.endpoint, token: tokenB, namespace: 'team-b' });
    expect((await bInB.read('transit/keys/root')).data.keys['1'].public_key).toBe(pkB);
  });

  it('serves transit at a custom mount path', async () => {
    vault.createKey({ name: 'root', mount: 'pki/a1-transit' });
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    const read = await client.read('pki/a1-transit/keys/root');
    const signed = await client.write('pki/a1-transit/sign/root', { input: message.toString('base64') });
    expect(verifyEd25519(read.data.keys['1'].public_key, message, parseEnvelope(signed.data.signature).bytes.toString('base64'))).toBe(true);
    expect((await apiError(client.read('transit/keys/root'))).statusCode).toBe(404);
  });

  it('has ecdsa-p256 and aes256-gcm96 keys for negative tests', async () => {
    vault.createKey({ name: 'ec', type: 'ecdsa-p256' });
    vault.createKey({ name: 'aes', type: 'aes256-gcm96' });
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    const ec = (await client.read('transit/keys/ec')).data;
    expect(ec).toMatchObject({ type: 'ecdsa-p256', supports_signing: true });
    expect(ec.keys['1'].public_key).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const ecSig = await client.write('transit/sign/ec', { input: message.toString('base64') });
    const der = parseEnvelope(ecSig.data.signature).bytes;
    expect(verify('sha256', message, createPublicKey(ec.keys['1'].public_key), der)).toBe(true);
    const aes = (await client.read('transit/keys/aes')).data;
    expect(aes).toMatchObject({ type: 'aes256-gcm96', supports_signing: false });
    expect(typeof aes.keys['1']).toBe('number');
    const refused = await apiError(client.write('transit/sign/aes', { input: message.toString('base64') }));
    expect(refused).toMatchObject({ statusCode: 400, body: { errors: ['key type aes256-gcm96 does not support signing'] } });
  });
});

describe('Vault Transit emulator faults and counters', () => {
  const signBody = JSON.stringify({ input: message.toString('base64') });
  type ErrorBody = { errors: string[] };
  const errorsOf = async (r: Response) => ((await r.json()) as ErrorBody).errors;
  const post = (path: string, body: string, token = vault.rootToken) =>
    fetch(`${vault.endpoint}/v1/${path}`, { method: 'POST', headers: { 'x-vault-token': token, 'content-type': 'application/json' }, body });

  it('answers throttle with 429 + Retry-After, outages with 503, injected statuses with their code', async () => {
    vault.createKey({ name: 'root' });
    vault.faults.inject({ fault: { kind: 'throttle', retryAfterSeconds: 2 }, operation: 'Sign', times: 2 });
    // Vault's default: no rate-limit response headers.
    const bare = await post('transit/sign/root', signBody);
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(await errorsOf(bare)).toEqual(['request path "transit/sign/root": rate limit quota exceeded']);
    const configured = await post('sys/quotas/config', JSON.stringify({ enable_rate_limit_response_headers: true }));
    expect(configured.status).toBe(204);
    const throttled = await post('transit/sign/root', signBody);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await errorsOf(throttled))[0]).toMatch(/rate limit quota exceeded/);
    vault.faults.inject({ fault: { kind: 'unavailable' }, key: 'root', times: 1 });
    const sealed = await post('transit/sign/root', signBody);
    expect(sealed.status).toBe(503);
    expect(await sealed.json()).toEqual({ errors: ['Vault is sealed'] });
    vault.injectStatus({ status: 500, errors: ['internal error'], operation: 'Sign', times: 1 });
    const internal = await post('transit/sign/root', signBody);
    expect(internal.status).toBe(500);
    expect(await internal.json()).toEqual({ errors: ['internal error'] });
    const ok = await post('transit/sign/root', signBody);
    expect(ok.status).toBe(200);
    expect(vault.calls.get('Sign')).toBe(5);
  });

  it('rejects malformed requests with 400 and Vault\'s error body', async () => {
    vault.createKey({ name: 'root' });
    const badJson = await post('transit/sign/root', '{nope');
    expect(badJson.status).toBe(400);
    expect((await errorsOf(badJson))[0]).toMatch(/failed to parse JSON input/);
    const badB64 = await post('transit/sign/root', JSON.stringify({ input: 'not base64!' }));
    expect(badB64.status).toBe(400);
    expect((await errorsOf(badB64))[0]).toMatch(/base64/);
    const missing = await post('transit/sign/root', '{}');
    expect(await missing.json()).toEqual({ errors: ['missing input to process'] });
    const badVersion = await post('transit/sign/root', JSON.stringify({ input: 'AA==', key_version: -1 }));
    expect(badVersion.status).toBe(400);
    const ph = await post('transit/sign/root', JSON.stringify({ input: 'AA==', prehashed: true }));
    expect(ph.status).toBe(400);
  });

  it('garbles signatures on request: random bytes, another key, a broken envelope', async () => {
    const key = vault.createKey({ name: 'root' });
    const pk = Buffer.from(key.publicKey!).toString('base64');
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    const input = message.toString('base64');
    for (const kind of ['garbage-signature', 'wrong-key-signature'] as const) {
      vault.faults.inject({ fault: { kind }, operation: 'Sign', times: 1 });
      const sig = (await client.write('transit/sign/root', { input })).data.signature;
      const env = parseEnvelope(sig);
      expect(env.bytes).toHaveLength(64);
      expect(verifyEd25519(pk, message, env.bytes.toString('base64'))).toBe(false);
    }
    vault.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'Sign', times: 1 });
    const broken = (await client.write('transit/sign/root', { input })).data.signature;
    expect(() => parseEnvelope(broken)).toThrow(/not a vault signature/);
    const good = (await client.write('transit/sign/root', { input })).data.signature;
    expect(verifyEd25519(pk, message, parseEnvelope(good).bytes.toString('base64'))).toBe(true);
  });

  it('can ignore key_version like a broken server would', async () => {
    vault.createKey({ name: 'root' });
    vault.rotateKey('root');
    vault.quirks.ignoreKeyVersion = true;
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken });
    const sig = (await client.write('transit/sign/root', { input: message.toString('base64'), key_version: 1 })).data.signature;
    expect(parseEnvelope(sig).version).toBe(2);
  });

  it('delays with latency, hangs until the client gives up, truncates bodies', async () => {
    vault.createKey({ name: 'root' });
    const client = nodeVault({ endpoint: vault.endpoint, token: vault.rootToken, requestOptions: { timeout: 300 } });
    vault.faults.inject({ fault: { kind: 'hang' }, operation: 'ReadKey', times: 1 });
    await expect(client.read('transit/keys/root')).rejects.toThrow(/timeout/);
    vault.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'ReadKey', times: 1 });
    await expect(client.read('transit/keys/root')).rejects.toThrow();
    vault.faults.inject({ fault: { kind: 'latency', ms: 50 }, operation: 'ReadKey', times: 1 });
    const read = await client.read('transit/keys/root');
    expect(read.data.type).toBe('ed25519');
    expect(vault.calls.get('ReadKey')).toBe(3);
  });

  it('close() ends hung connections', async () => {
    vault.createKey({ name: 'root' });
    vault.faults.inject({ fault: { kind: 'hang' } });
    const pending = post('transit/sign/root', signBody).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 50));
    await vault.close();
    expect(await pending).toBe('cut');
    vault = await startVaultTransit(); // afterEach closes this one
  });
});

describe('Vault Transit emulator over HTTPS', () => {
  it('serves a certificate from its generated CA; clients trusting another CA refuse it', async () => {
    const secure = await startVaultTransit({ tls: true });
    const other = await startVaultTransit({ tls: true });
    try {
      secure.createKey({ name: 'root' });
      expect(secure.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const trusting = nodeVault({ endpoint: secure.endpoint, token: secure.rootToken, requestOptions: { ca: secure.caCert } });
      expect((await trusting.read('transit/keys/root')).data.type).toBe('ed25519');
      const wrongCa = nodeVault({ endpoint: secure.endpoint, token: secure.rootToken, requestOptions: { ca: other.caCert } });
      await expect(wrongCa.read('transit/keys/root')).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) });
      expect(secure.calls.get('ReadKey')).toBe(1);
    } finally {
      await secure.close();
      await other.close();
    }
  });
});

describe('a1-emulators vault command', () => {
  it('starts with a demo ed25519 key and an AppRole and describes them', async () => {
    const running = await startVaultCommand({ port: 0, host: '127.0.0.1' });
    try {
      const d = running.describe() as { endpoint: string; keys: Array<{ name: string; type: string }>; env: Record<string, string> };
      expect(d.keys).toEqual([expect.objectContaining({ name: 'a1-root', type: 'ed25519' })]);
      expect(d.env.VAULT_ADDR).toBe(d.endpoint);
      const client = nodeVault({ endpoint: d.env.VAULT_ADDR!, token: '' });
      client.token = '';
      await client.approleLogin({ role_id: d.env.VAULT_ROLE_ID, secret_id: d.env.VAULT_SECRET_ID });
      expect((await client.read('transit/keys/a1-root')).data.type).toBe('ed25519');
    } finally {
      await running.close();
    }
  });
});
