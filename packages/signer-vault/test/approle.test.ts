import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { issueCert, rejection, startVault, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
let publicKey: Uint8Array;
beforeEach(async () => {
  vault = await startVault();
  publicKey = vault.createKey({ name: 'a1-root' }).publicKey!;
});
afterEach(async () => {
  vi.useRealTimers();
  await vault.close();
});

function appRoleSigner(roleId: string, secretId: string | undefined): VaultTransitSigner {
  return new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId, secretId, retryBaseDelayMs: 5 });
}

describe('AppRole auth', () => {
  it('logs in on first use and reuses the token', async () => {
    const role = vault.addAppRole({ tokenTtlSeconds: 3600 });
    const signer = appRoleSigner(role.roleId, role.secretId);
    expect(vault.calls.get('Login')).toBe(0);
    for (let i = 0; i < 3; i += 1) {
      const { cert, agent } = await issueCert(signer);
      await verifyCert(cert, agent, publicKey);
    }
    expect(vault.calls.get('Login')).toBe(1);
  });

  it('logs in again when Vault says the token expired (403), once for many concurrent signs', async () => {
    const role = vault.addAppRole({ tokenTtlSeconds: 3600 });
    const signer = appRoleSigner(role.roleId, role.secretId);
    await issueCert(signer);
    vault.tokens.expireAll();
    const certs = await Promise.all(Array.from({ length: 8 }, () => issueCert(signer)));
    for (const { cert, agent } of certs) await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('Login')).toBe(2);
    expect(vault.calls.get('PermissionDenied')).toBeGreaterThanOrEqual(1);
  });

  it('renews the token before the lease ends (renew-self), without waiting for a 403', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const role = vault.addAppRole({ tokenTtlSeconds: 60 });
    const signer = appRoleSigner(role.roleId, role.secretId);
    await issueCert(signer);
    vi.setSystemTime(Date.now() + 58_000); // inside the 5 s renewal margin, before Vault's expiry
    await issueCert(signer);
    expect(vault.calls.get('RenewSelf')).toBe(1);
    expect(vault.calls.get('Login')).toBe(1);
    expect(vault.calls.get('PermissionDenied')).toBe(0);
  });

  it('logs in again before the lease ends when Vault refuses the renewal', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const role = vault.addAppRole({ tokenTtlSeconds: 60 });
    const signer = appRoleSigner(role.roleId, role.secretId);
    await issueCert(signer);
    vault.injectStatus({ status: 400, errors: ['lease is not renewable'], operation: 'RenewSelf', times: 1 });
    vi.setSystemTime(Date.now() + 58_000);
    await issueCert(signer);
    expect(vault.calls.get('Login')).toBe(2);
    expect(vault.calls.get('PermissionDenied')).toBe(0);
  });

  it('a wrong secret id is AccessDenied, not retried, and names no secret', async () => {
    const role = vault.addAppRole();
    const signer = appRoleSigner(role.roleId, 'secret-id-that-is-wrong-7f3a');
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toMatchObject({ code: 'AccessDenied', retryable: false, provider: 'vault-transit' });
    expect(e.message).toMatch(/AppRole login rejected/);
    expect(e.message).not.toContain('secret-id-that-is-wrong-7f3a');
    expect(vault.calls.get('Login')).toBe(1);
  });

  it('a revoked static token is AccessDenied after one call (403 is not retried)', async () => {
    const token = vault.createToken({ ttlSeconds: 3600 });
    const signer = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token });
    await signer.verifyingKey();
    vault.tokens.revoke(token);
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(e.message).toMatch(/update.*sign/);
    expect(vault.calls.get('Sign')).toBe(1);
  });

  it('uses an AppRole mounted elsewhere', async () => {
    const role = vault.addAppRole({ mount: 'ci/approle' });
    const signer = new VaultTransitSigner({
      endpoint: vault.endpoint,
      keyName: 'a1-root',
      roleId: role.roleId,
      secretId: role.secretId,
      appRoleMountPath: 'ci/approle',
    });
    await expect(signer.verifyingKey()).resolves.toEqual(publicKey);
  });
});
