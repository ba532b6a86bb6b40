import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { issueCert, rejection, startVault, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
beforeEach(async () => {
  vault = await startVault();
});
afterEach(async () => {
  await vault.close();
});

describe('namespaces', () => {
  it('each namespace sees its own key of the same name', async () => {
    const a = vault.createKey({ name: 'a1-root', namespace: 'team-a' });
    const b = vault.createKey({ name: 'a1-root', namespace: 'team-b' });
    const signerA = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: vault.rootToken, namespace: 'team-a' });
    const signerB = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: vault.rootToken, namespace: 'team-b' });
    const certA = await issueCert(signerA);
    const certB = await issueCert(signerB);
    await verifyCert(certA.cert, certA.agent, a.publicKey!);
    await verifyCert(certB.cert, certB.agent, b.publicKey!);
    expect(a.publicKey).not.toEqual(b.publicKey);
    expect(signerA.keyId).toBe('team-a/transit/keys/a1-root');
  });

  it('a key in a namespace is not found from the root namespace', async () => {
    vault.createKey({ name: 'a1-root', namespace: 'team-a' });
    const signer = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: vault.rootToken });
    expect(await rejection(signer.verifyingKey())).toMatchObject({ code: 'KeyNotFound' });
  });

  it('logs in with an AppRole of the namespace and signs there', async () => {
    const a = vault.createKey({ name: 'a1-root', namespace: 'team-a' });
    const role = vault.addAppRole({ namespace: 'team-a' });
    const signer = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId: role.roleId, secretId: role.secretId, namespace: 'team-a' });
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, a.publicKey!);
    expect(vault.calls.get('Login')).toBe(1);
  });

  it('an AppRole token from one namespace is denied in another', async () => {
    vault.createKey({ name: 'a1-root', namespace: 'team-a' });
    const roleB = vault.addAppRole({ namespace: 'team-b' });
    // Logs in to team-a (where the role does not exist), so the login itself is refused.
    const wrongNs = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId: roleB.roleId, secretId: roleB.secretId, namespace: 'team-a' });
    const e = (await rejection(wrongNs.verifyingKey())) as SignerError;
    expect(e).toMatchObject({ code: 'AccessDenied', retryable: false });
    const tokenB = vault.createToken({ namespace: 'team-b', ttlSeconds: 60 });
    const crossed = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: tokenB, namespace: 'team-a' });
    expect(await rejection(crossed.verifyingKey())).toMatchObject({ code: 'AccessDenied' });
  });
});
