/**
 * What a user meets on the real service, through the real SDK against the emulator: the
 * api-version that defines OKP / EdDSA, key management (create, update, nbf / exp), and each kind
 * of 403 with its own cure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyClient } from '@azure/keyvault-keys';
import { CertBuilder, LocalSigner, SignerError, intentHash, verifyEd25519, type DelegationCert } from '@a1/core';
import type { AzureKeyVaultEmulator } from '@a1/emulators';
import { OKP_SERVICE_VERSION } from '../src/index.js';
import { emulatorClientOptions, rejection, signerFor, startVault } from './fixtures.js';

const message = new Uint8Array(32).fill(9);
const now = () => BigInt(Math.floor(Date.now() / 1000));

async function noCert(build: Promise<DelegationCert>): Promise<SignerError> {
  let cert: DelegationCert | undefined;
  const error = await rejection(build.then((c) => (cert = c)));
  expect(cert).toBeUndefined();
  expect(error).toBeInstanceOf(SignerError);
  return error as SignerError;
}

function certFrom(signer: Parameters<CertBuilder['buildAsync']>[0]): Promise<DelegationCert> {
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('x'), issuedAt: now(), expirationUnix: now() + 60n }).buildAsync(signer);
}

describe('AzureKeyVaultSigner: api-version and the OKP preview model', () => {
  let emu: AzureKeyVaultEmulator;
  let rootPk: Uint8Array;
  beforeAll(async () => {
    emu = await startVault();
    rootPk = emu.createKey('root').publicKey;
  });
  afterAll(() => emu.close());

  it('pins api-version 7.4-preview.1 on every call by default', async () => {
    const signer = signerFor(emu, 'root');
    const start = emu.history.length;
    expect(verifyEd25519(rootPk, message, await signer.signMessage(message))).toBe(true);
    const versions = new Set(emu.history.slice(start).filter((r) => r.operation !== 'Challenge').map((r) => r.apiVersion));
    expect([...versions]).toEqual([OKP_SERVICE_VERSION]);
  });

  it("with the SDK's default api-version (2025-07-01) the service knows no OKP key: Misconfigured, saying what to do", async () => {
    const signer = signerFor(emu, 'root', { serviceVersion: '2025-07-01' });
    const error = await noCert(certFrom(signer));
    expect(error.code).toBe('Misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('400');
    expect(error.message).toContain('7.4-preview.1');
    expect(error.message).toContain('Managed HSM');
    expect(error.message).toContain('@a1/signer-pkcs11');
  });

  it('an api-version the service does not know is Misconfigured with the same advice', async () => {
    const signer = signerFor(emu, 'root', { clientOptions: emulatorClientOptions(emu, { serviceVersion: '7.9-preview.7' }) });
    const error = (await rejection(signer.verifyingKey())) as SignerError;
    expect(error.code).toBe('Misconfigured');
    expect(error.message).toContain('The specified version (7.9-preview.7) is not recognized');
    expect(error.message).toContain('@a1/signer-pkcs11');
  });
});

describe('AzureKeyVaultSigner: keys managed through the SDK', () => {
  let emu: AzureKeyVaultEmulator;
  let keys: KeyClient;
  beforeAll(async () => {
    emu = await startVault();
    keys = new KeyClient(emu.endpoint, emu.credential(), { ...emulatorClientOptions(emu), serviceVersion: OKP_SERVICE_VERSION });
  });
  afterAll(() => emu.close());

  it('creates an OKP-HSM Ed25519 key with KeyClient.createKey, and the signer signs with it', async () => {
    const created = await keys.createKey('made-by-sdk', 'OKP-HSM', { curve: 'Ed25519' as never, keyOps: ['sign', 'verify'] });
    expect(created.key?.kty).toBe('OKP-HSM');
    const signer = signerFor(emu, 'made-by-sdk');
    expect(await signer.verifyingKey()).toEqual(new Uint8Array(created.key!.x!));
    expect(verifyEd25519(await signer.verifyingKey(), message, await signer.signMessage(message))).toBe(true);
  });

  it("createKey with the SDK's default api-version is refused: OKP is only in the preview", async () => {
    const gaKeys = new KeyClient(emu.endpoint, emu.credential(), emulatorClientOptions(emu));
    await expect(gaKeys.createKey('ga-okp', 'OKP')).rejects.toMatchObject({ statusCode: 400 });
  });

  it('updateKeyProperties(enabled: false): the next sign is AccessDenied with the KeyDisabled cure, not the role hint', async () => {
    const created = await keys.createKey('toggled', 'OKP');
    const signer = signerFor(emu, 'toggled');
    await signer.signMessage(message);
    await keys.updateKeyProperties('toggled', created.properties.version!, { enabled: false });
    const error = await noCert(certFrom(signer));
    expect(error.code).toBe('AccessDenied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('KeyDisabled');
    expect(error.message).toContain('enable it');
    expect(error.message).not.toContain('Crypto User');
    await keys.updateKeyProperties('toggled', created.properties.version!, { enabled: true });
    expect(verifyEd25519(await signer.verifyingKey(), message, await signer.signMessage(message))).toBe(true);
  });

  it('a key past its exp, or before its nbf, is refused at first use with the reason', async () => {
    await keys.createKey('expired', 'OKP', { expiresOn: new Date(Date.now() - 60_000) });
    const expired = (await rejection(signerFor(emu, 'expired').verifyingKey())) as SignerError;
    expect(expired.code).toBe('AccessDenied');
    expect(expired.message).toMatch(/expired at .*\(exp\)/);
    await keys.createKey('future', 'OKP', { notBefore: new Date(Date.now() + 3_600_000) });
    const early = (await rejection(signerFor(emu, 'future').verifyingKey())) as SignerError;
    expect(early.code).toBe('AccessDenied');
    expect(early.message).toMatch(/not valid before .*\(nbf\)/);
  });

  it('a key that expires after first use: the service refuses the sign (403 KeyExpired), no cert', async () => {
    const created = await keys.createKey('expiring', 'OKP');
    const signer = signerFor(emu, 'expiring');
    await signer.verifyingKey();
    // Expired on the server only: the signer's cached copy has no exp, so the SDK sends the sign.
    await keys.updateKeyProperties('expiring', created.properties.version!, { expiresOn: new Date(Date.now() - 1_000) });
    const error = await noCert(certFrom(signer));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toContain('KeyExpired');
  });
});

describe('AzureKeyVaultSigner: each kind of 403 gets its own cure', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startVault();
    emu.createKey('root');
    emu.grant('rbac-reader', ['get']);
    emu.grant('policy-reader', ['get'], { model: 'access-policy' });
  });
  afterAll(() => emu.close());

  it('RBAC denial: the role hint', async () => {
    const error = await noCert(certFrom(signerFor(emu, 'root', { credential: emu.credential('rbac-reader') })));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toContain('ForbiddenByRbac');
    expect(error.message).toContain('Key Vault Crypto User');
  });

  it('access-policy denial: the access-policy cure, not the role hint', async () => {
    const error = await noCert(certFrom(signerFor(emu, 'root', { credential: emu.credential('policy-reader') })));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toContain('ForbiddenByPolicy');
    expect(error.message).toContain('access policies');
    expect(error.message).not.toContain('Crypto User');
  });

  it('firewall denial: the network cure, not the role hint', async () => {
    emu.setNetworkAccess('deny');
    try {
      const error = (await rejection(signerFor(emu, 'root').verifyingKey())) as SignerError;
      expect(error.code).toBe('AccessDenied');
      expect(error.message).toContain('ForbiddenByFirewall');
      expect(error.message).toContain('network rules');
      expect(error.message).not.toContain('Crypto User');
    } finally {
      emu.setNetworkAccess('allow');
    }
  });
});
