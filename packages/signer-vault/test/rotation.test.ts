import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCert, rejection, startVault, tokenSigner, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
beforeEach(async () => {
  vault = await startVault();
  vault.createKey({ name: 'a1-root' });
});
afterEach(async () => {
  await vault.close();
});

const versionKey = (version: number) => vault.getKey('a1-root')!.ed25519PublicKey(version)!;

describe('key rotation on the server', () => {
  it('keeps signing with the version it pinned at first use; both certs verify', async () => {
    const signer = tokenSigner(vault);
    const before = await issueCert(signer);
    expect(vault.rotateKey('a1-root')).toBe(2);
    const after = await issueCert(signer);
    await verifyCert(before.cert, before.agent, versionKey(1));
    await verifyCert(after.cert, after.agent, versionKey(1));
    expect(after.cert.delegatorPk).toEqual(versionKey(1));
    expect((await signer.pinnedKeyVersion()).version).toBe(1);
  });

  it('a fresh signer picks the latest version; certs from both versions verify under their own key', async () => {
    const old = tokenSigner(vault);
    const first = await issueCert(old);
    vault.rotateKey('a1-root');
    const fresh = tokenSigner(vault);
    const second = await issueCert(fresh);
    expect((await fresh.pinnedKeyVersion()).version).toBe(2);
    await verifyCert(first.cert, first.agent, versionKey(1));
    await verifyCert(second.cert, second.agent, versionKey(2));
    await expect(verifyCert(second.cert, second.agent, versionKey(1))).rejects.toMatchObject({ code: 'RootMismatch' });
  });

  it('with keyVersion pinned, keeps using that version across rotations', async () => {
    vault.rotateKey('a1-root');
    vault.rotateKey('a1-root');
    const signer = tokenSigner(vault, { keyVersion: 2 });
    const { cert, agent } = await issueCert(signer);
    vault.rotateKey('a1-root');
    const again = await issueCert(signer);
    await verifyCert(cert, agent, versionKey(2));
    await verifyCert(again.cert, again.agent, versionKey(2));
  });

  it('refresh() moves to the latest version deliberately', async () => {
    const signer = tokenSigner(vault, { keyVersion: 1 });
    const before = await issueCert(signer);
    vault.rotateKey('a1-root');
    const moved = await signer.refresh();
    expect(moved.version).toBe(2);
    expect(moved.publicKey).toEqual(versionKey(2));
    expect(await signer.verifyingKey()).toEqual(versionKey(2));
    const after = await issueCert(signer);
    await verifyCert(before.cert, before.agent, versionKey(1));
    await verifyCert(after.cert, after.agent, versionKey(2));
    expect(vault.calls.get('ReadKey')).toBe(2);
  });

  it('refuses an answer signed by another version than the pinned one, and issues nothing', async () => {
    const signer = tokenSigner(vault);
    await signer.verifyingKey();
    vault.rotateKey('a1-root');
    vault.quirks.ignoreKeyVersion = true; // the server now signs with v2 whatever it is asked
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toBeInstanceOf(SignerError);
    expect(e).toMatchObject({ code: 'InvalidResponse', retryable: false, keyId: 'transit/keys/a1-root' });
    expect(e.message).toMatch(/key version 2 but this signer is pinned to version 1/);
  });
});
