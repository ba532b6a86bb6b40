/**
 * Two trust checks on the Azure signer:
 * - where it pins its key, a small-order or non-point Ed25519 key in Key Vault's answer is a
 *   non-retryable SignerError InvalidResponse naming the problem (a private key imported into Key
 *   Vault always yields a proper key, so the emulator cannot serve one: the parse function is
 *   tested with the SDK's KeyVaultKey shape);
 * - the credential lives in true private fields: a spread, Object.entries or inspect with
 *   customInspect:false never reach a ClientSecretCredential's secret.
 */
import { inspect } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import type { KeyVaultKey } from '@azure/keyvault-keys';
import { LocalSigner, SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKeyOf } from '../src/ed25519-key.js';
import { AzureKeyVaultSigner } from '../src/index.js';

const KEY_ID = 'https://example.vault.azure.net/keys/a1-root';
const okpKey = (x: Uint8Array): KeyVaultKey =>
  ({
    id: `${KEY_ID}/0123456789abcdef0123456789abcdef`,
    name: 'a1-root',
    key: { kty: 'OKP', crv: 'Ed25519', x, keyOps: ['sign', 'verify'] },
    properties: { version: '0123456789abcdef0123456789abcdef', vaultUrl: 'https://example.vault.azure.net', name: 'a1-root' },
  }) as unknown as KeyVaultKey;

describe('the pinned Key Vault key is checked, not only its length', () => {
  it.each([
    ['00…00', new Uint8Array(32), /small-order/],
    ['the identity', Uint8Array.from(Buffer.from('01'.padEnd(64, '0'), 'hex')), /small-order/],
    ['y = 2 (not a curve point)', Uint8Array.from(Buffer.from('02'.padEnd(64, '0'), 'hex')), /not a valid Ed25519 public key/],
  ])('%s: InvalidResponse, not retryable, naming the problem', (_label, x, problem) => {
    let error: unknown;
    try {
      ed25519PublicKeyOf(okpKey(x), KEY_ID);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignerError);
    expect(error).toMatchObject({ code: 'InvalidResponse', retryable: false, provider: 'azure-keyvault', keyId: KEY_ID });
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain('version 0123456789abcdef0123456789abcdef');
  });

  it('an honest key is returned as a copy', () => {
    const x = LocalSigner.fromSeed(new Uint8Array(32).fill(5)).verifyingKey();
    const key = okpKey(x);
    const pinned = ed25519PublicKeyOf(key, KEY_ID);
    expect(pinned).toEqual(x);
    expect(pinned).not.toBe(x);
  });
});

describe('the credential is never reachable from the signer object', () => {
  const SECRET = 'AzSECRETclientSecretValue~xyz';
  const signer = new AzureKeyVaultSigner({
    vaultUrl: 'https://example.vault.azure.net',
    keyName: 'a1-root',
    credential: new ClientSecretCredential('00000000-0000-0000-0000-000000000000', '11111111-1111-1111-1111-111111111111', SECRET),
  });

  it.each([
    ['inspect (showHidden)', () => inspect(signer, { depth: 10, showHidden: true })],
    ['inspect with customInspect:false', () => inspect(signer, { depth: 10, customInspect: false, showHidden: true })],
    ['Object.entries', () => inspect(Object.entries(signer), { depth: 10, customInspect: false })],
    ['Object.getOwnPropertyNames', () => inspect(Object.getOwnPropertyNames(signer).map((k) => (signer as unknown as Record<string, unknown>)[k]), { depth: 10, customInspect: false })],
    ['a spread, JSON', () => JSON.stringify({ ...signer })],
    ['a spread, inspect', () => inspect({ ...signer }, { depth: 10, customInspect: false })],
    ['JSON', () => JSON.stringify(signer)],
  ])('%s shows no secret', (_label, render) => {
    const text = render();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('clientSecret');
  });

  it('still names where its key is', () => {
    expect(inspect(signer, { customInspect: false })).toContain('a1-root');
    expect(signer.keyId).toBe(KEY_ID);
  });
});
