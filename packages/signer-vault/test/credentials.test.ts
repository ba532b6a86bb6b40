/**
 * Credentials that expire, against an emulator whose tokens expire for real: a renewable token is
 * renewed before its TTL ends; a Vault Agent token file is read again when it changes; Kubernetes
 * and JWT/OIDC logins; AppRole secret ids that run out; and no token, secret id or JWT in any
 * error or inspect output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { assertNoSecrets } from '@a1/signer-testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { issueCert, rejection, startVault, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
let publicKey: Uint8Array;
let dir: string;
beforeEach(async () => {
  vault = await startVault();
  publicKey = vault.createKey({ name: 'a1-root' }).publicKey!;
  dir = mkdtempSync(join(tmpdir(), 'a1-vault-creds-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await vault.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({ endpoint: vault.endpoint, keyName: 'a1-root', retryBaseDelayMs: 5, retryDeadlineMs: 0 });

describe('a fixed token', () => {
  it('is renewed (renew-self) before its TTL ends, and keeps working past its first expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = vault.createToken({ ttlSeconds: 60 });
    const signer = new VaultTransitSigner({ ...base(), token });
    await issueCert(signer);
    expect(vault.calls.get('LookupSelf')).toBe(1);
    vi.setSystemTime(Date.now() + 56_000); // inside the renewal margin
    await issueCert(signer);
    expect(vault.calls.get('RenewSelf')).toBe(1);
    vi.setSystemTime(Date.now() + 30_000); // past the original expiry (60 s)
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('PermissionDenied')).toBe(0);
    await signer.close();
  });

  it('a non-renewable token is not renewed; once expired it is AccessDenied', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = vault.createToken({ ttlSeconds: 60, renewable: false });
    const signer = new VaultTransitSigner({ ...base(), token });
    await issueCert(signer);
    vi.setSystemTime(Date.now() + 61_000);
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(vault.calls.get('RenewSelf')).toBe(0);
    assertNoSecrets('expired token', e, [token]);
    await signer.close();
  });
});

describe('a Vault Agent token file (tokenFile / VAULT_TOKEN_FILE)', () => {
  it('is read again when the agent writes a new token, before Vault could refuse the old one', async () => {
    const file = join(dir, 'sink');
    const first = vault.createToken({ ttlSeconds: 3600 });
    writeFileSync(file, `${first}\n`);
    const signer = new VaultTransitSigner({ ...base(), tokenFile: file });
    await issueCert(signer);
    const second = vault.createToken({ ttlSeconds: 3600 });
    writeFileSync(file, `${second}\n`);
    vault.tokens.revoke(first);
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('PermissionDenied')).toBe(0);
    expect(JSON.stringify(signer)).not.toContain(second);
    await signer.close();
  });

  it('a missing file is Misconfigured, naming no token', async () => {
    const signer = new VaultTransitSigner({ ...base(), tokenFile: join(dir, 'absent') });
    expect(await rejection(signer.verifyingKey())).toMatchObject({ code: 'Misconfigured', retryable: false });
  });
});

describe('Kubernetes and JWT/OIDC logins', () => {
  it('Kubernetes: logs in with the role and the service-account token file, again after expiry', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.k8s-service-account-token.sig';
    const jwtFile = join(dir, 'token');
    writeFileSync(jwtFile, jwt);
    vault.addKubernetesRole({ role: 'a1-signer', jwts: [jwt] });
    const signer = new VaultTransitSigner({ ...base(), kubernetes: { role: 'a1-signer', jwtFile } });
    await issueCert(signer);
    vault.tokens.expireAll();
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('Login')).toBe(2);
    await signer.close();
  });

  it('Kubernetes: a token the role does not accept is AccessDenied with the Kubernetes hint, and the JWT never shows', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.not-bound-to-the-role.sig';
    const jwtFile = join(dir, 'token');
    writeFileSync(jwtFile, jwt);
    vault.addKubernetesRole({ role: 'a1-signer', jwts: ['some-other-token'] });
    const signer = new VaultTransitSigner({ ...base(), kubernetes: { role: 'a1-signer', jwtFile } });
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(e.message).toMatch(/Kubernetes login rejected with HTTP 403; check the role name/);
    assertNoSecrets('kubernetes login', e, [jwt]);
    assertNoSecrets('kubernetes signer', signer, [jwt]);
  });

  it('JWT/OIDC: logs in at its mount with the JWT read from the file at each login', async () => {
    const jwtFile = join(dir, 'jwt');
    writeFileSync(jwtFile, 'ci-jwt-one');
    vault.addJwtRole({ role: 'ci', jwts: ['ci-jwt-one', 'ci-jwt-two'], mount: 'oidc' });
    const signer = new VaultTransitSigner({ ...base(), jwt: { role: 'ci', jwtFile, mountPath: 'oidc' } });
    await issueCert(signer);
    writeFileSync(jwtFile, 'ci-jwt-two'); // the CI system rotated it
    vault.tokens.expireAll();
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('Login')).toBe(2);
  });
});

describe('AppRole secret ids that run out', () => {
  it('a secret id past its use limit: the re-login is AccessDenied naming secret_id_num_uses', async () => {
    const role = vault.addAppRole({ secretIdNumUses: 1, tokenTtlSeconds: 3600 });
    const signer = new VaultTransitSigner({ ...base(), roleId: role.roleId, secretId: role.secretId });
    await issueCert(signer);
    vault.tokens.expireAll();
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(e.message).toMatch(/AppRole login rejected.*secret_id_num_uses/);
    assertNoSecrets('approle', e, [role.secretId]);
  });
});

describe('environment', () => {
  it('fromEnv reads VAULT_TOKEN_FILE, VAULT_K8S_ROLE and VAULT_JWT_ROLE', async () => {
    const file = join(dir, 'sink');
    writeFileSync(file, vault.createToken({ ttlSeconds: 3600 }));
    const env = { VAULT_ADDR: vault.endpoint, A1_VAULT_KEY: 'a1-root' };
    const fromFile = VaultTransitSigner.fromEnv({ ...env, VAULT_TOKEN_FILE: file, VAULT_TOKEN: 'stale-shell-token' });
    await expect(fromFile.verifyingKey()).resolves.toEqual(publicKey);
    const jwtFile = join(dir, 'sa');
    writeFileSync(jwtFile, 'sa-token-for-env');
    vault.addKubernetesRole({ role: 'env-role', jwts: ['sa-token-for-env'] });
    const k8s = VaultTransitSigner.fromEnv({ ...env, VAULT_K8S_ROLE: 'env-role', VAULT_K8S_JWT_FILE: jwtFile });
    await expect(k8s.verifyingKey()).resolves.toEqual(publicKey);
  });
});

describe('a logged-in token near its end', () => {
  it('is renewed rather than replaced, so a secret id with one use keeps the signer working', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const role = vault.addAppRole({ secretIdNumUses: 1, tokenTtlSeconds: 60 });
    const signer = new VaultTransitSigner({ ...base(), roleId: role.roleId, secretId: role.secretId });
    await issueCert(signer);
    for (let i = 0; i < 3; i += 1) {
      vi.setSystemTime(Date.now() + 56_000); // inside the renewal margin, three times past the first TTL
      const { cert, agent } = await issueCert(signer);
      await verifyCert(cert, agent, publicKey);
    }
    expect(vault.calls.get('Login')).toBe(1);
    expect(vault.calls.get('RenewSelf')).toBe(3);
    expect(vault.calls.get('PermissionDenied')).toBe(0);
  });
});
