import { SignerError, verifyEd25519 } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { issueCert, rejection, startVault, tokenSigner, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
let publicKey: Uint8Array;
beforeEach(async () => {
  vault = await startVault();
  publicKey = vault.createKey({ name: 'a1-root' }).publicKey!;
});
afterEach(async () => {
  await vault.close();
});

describe('VaultTransitSigner against the emulator', () => {
  it('issues a cert that verifies offline under the Vault key', async () => {
    const signer = tokenSigner(vault);
    expect(await signer.verifyingKey()).toEqual(publicKey);
    const { cert, agent } = await issueCert(signer);
    expect(cert.delegatorPk).toEqual(publicKey);
    await verifyCert(cert, agent, publicKey);
    expect(signer.keyId).toBe('transit/keys/a1-root');
    expect(signer.provider).toBe('vault-transit');
    await signer.close();
  });

  it('signs raw messages with pure Ed25519', async () => {
    const signer = tokenSigner(vault);
    const message = new TextEncoder().encode('thirty-two bytes of signable msg');
    const signature = await signer.signMessage(message);
    expect(signature).toHaveLength(64);
    expect(verifyEd25519(publicKey, message, signature)).toBe(true);
    expect(verifyEd25519(publicKey, new Uint8Array(32), signature)).toBe(false);
  });

  it('reads the key once, even with 50 concurrent first uses', async () => {
    const signer = tokenSigner(vault);
    const certs = await Promise.all(Array.from({ length: 50 }, () => issueCert(signer)));
    for (const { cert, agent } of certs.slice(0, 5)) await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('ReadKey')).toBe(1);
    expect(vault.calls.get('Sign')).toBe(50);
  });

  it('hands out copies of the cached public key', async () => {
    const signer = tokenSigner(vault);
    const first = await signer.verifyingKey();
    first.fill(0);
    expect(await signer.verifyingKey()).toEqual(publicKey);
  });

  it.each([
    ['ecdsa-p256', 'ec-key', /type "ecdsa-p256", not "ed25519"/],
    ['aes256-gcm96', 'aes-key', /type "aes256-gcm96", not "ed25519"/],
  ] as const)('refuses a %s key, naming it, before any sign call', async (type, name, why) => {
    vault.createKey({ name, type });
    const signer = tokenSigner(vault, { keyName: name });
    for (const call of [() => signer.verifyingKey(), () => issueCert(signer)]) {
      const e = (await rejection(call())) as SignerError;
      expect(e).toBeInstanceOf(SignerError);
      expect(e).toMatchObject({ code: 'WrongKeyType', retryable: false, provider: 'vault-transit', keyId: `transit/keys/${name}` });
      expect(e.message).toContain(name);
      expect(e.message).toMatch(why);
    }
    expect(vault.calls.get('Sign')).toBe(0);
  });

  it('reports a missing key as KeyNotFound naming the path', async () => {
    const signer = tokenSigner(vault, { keyName: 'absent' });
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toMatchObject({ code: 'KeyNotFound', retryable: false });
    expect(e.message).toContain('transit/keys/absent');
    expect(e.cause).toMatchObject({ status: 404 });
  });

  it('refuses a pinned version that does not exist', async () => {
    const signer = tokenSigner(vault, { keyVersion: 5 });
    const e = (await rejection(signer.verifyingKey())) as SignerError;
    expect(e).toMatchObject({ code: 'KeyNotFound', retryable: false });
    expect(e.message).toMatch(/no version 5 \(latest is 1\)/);
  });

  it('works at a custom mount path', async () => {
    const key = vault.createKey({ name: 'a1-root', mount: 'secret/signing' });
    const signer = tokenSigner(vault, { mountPath: '/secret/signing/' });
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, key.publicKey!);
    expect(signer.keyId).toBe('secret/signing/keys/a1-root');
  });

  it('refuses to work after close()', async () => {
    const signer = tokenSigner(vault);
    await signer.verifyingKey();
    await signer.close();
    expect(await rejection(signer.signMessage(new Uint8Array(32)))).toMatchObject({ code: 'Misconfigured' });
  });

  it('an unreachable Vault is Unavailable after bounded retries', async () => {
    const address = vault.endpoint;
    await vault.close();
    const signer = new VaultTransitSigner({ endpoint: address, keyName: 'a1-root', token: 'hvs.test-token-unreachable', maxRetries: 2, retryBaseDelayMs: 1 });
    const e = (await rejection(signer.verifyingKey())) as SignerError;
    expect(e).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(e.message).toMatch(/ECONNREFUSED/);
    vault = await startVault(); // for afterEach
  });
});
