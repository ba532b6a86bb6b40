import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEd25519Spki } from '../src/index.js';
import { pinKey } from '../src/pinned-key.js';

describe('parseEd25519Spki', () => {
  it('extracts the 32-byte key from the 44-byte DER that GetPublicKey returns', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(Buffer.from(parseEd25519Spki(new Uint8Array(der))!)).toEqual(raw);
  });

  it('refuses other key types, wrong lengths and a damaged prefix', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    expect(parseEd25519Spki(new Uint8Array(p256))).toBeUndefined();
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(x25519).toHaveLength(44);
    expect(parseEd25519Spki(new Uint8Array(x25519))).toBeUndefined();
    const ed = new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }));
    expect(parseEd25519Spki(ed.subarray(0, 43))).toBeUndefined();
    expect(parseEd25519Spki(new Uint8Array([...ed, 0]))).toBeUndefined();
    const damaged = ed.slice();
    damaged[8] = 0x71;
    expect(parseEd25519Spki(damaged)).toBeUndefined();
  });
});

describe('pinKey refuses a small-order public key (issue 12 §1)', () => {
  const answer = (raw: Uint8Array) => ({
    $metadata: {},
    KeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    KeySpec: 'ECC_NIST_EDWARDS25519' as const,
    KeyUsage: 'SIGN_VERIFY' as const,
    SigningAlgorithms: ['ED25519_SHA_512' as const],
    PublicKey: new Uint8Array(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw])),
  });

  it('refuses the all-zero key and the identity, non-retryable, and pins an honest key', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    for (const raw of [new Uint8Array(32), identity]) {
      expect(() => pinKey('alias/root', answer(raw))).toThrow(expect.objectContaining({ code: 'InvalidResponse', retryable: false }));
      expect(() => pinKey('alias/root', answer(raw))).toThrow(/small-order/);
    }
    const honest = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(Buffer.from(pinKey('alias/root', answer(honest)).publicKey)).toEqual(honest);
  });
});

describe('pinKey refuses any key core refuses, through core checkPinnedKey (red-team M2)', () => {
  const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const answer = (raw: Buffer) => ({
    $metadata: {},
    KeyId: arn,
    KeySpec: 'ECC_NIST_EDWARDS25519' as const,
    KeyUsage: 'SIGN_VERIFY' as const,
    SigningAlgorithms: ['ED25519_SHA_512' as const],
    PublicKey: new Uint8Array(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw])),
  });

  it.each([
    // node:crypto imports all of these without complaint: only core's rule tells them apart.
    ['00…00 (small order)', Buffer.alloc(32), /is a small-order Ed25519 public key; refused/],
    ['y = p, the non-canonical zero (small order)', Buffer.from(`ed${'ff'.repeat(30)}7f`, 'hex'), /small-order/],
    ['y = 2 (not a curve point)', Buffer.from(`02${'00'.repeat(31)}`, 'hex'), /is not a valid Ed25519 public key; refused/],
    ['y = p + 3 (non-canonical encoding)', Buffer.from(`f0${'ff'.repeat(30)}7f`, 'hex'), /is not a valid Ed25519 public key; refused/],
  ])('%s: InvalidResponse, not retryable, naming the key and the problem', (_what, raw, why) => {
    let error: unknown;
    try {
      pinKey('alias/root', answer(raw));
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ provider: 'aws-kms', keyId: 'alias/root', code: 'InvalidResponse', retryable: false });
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain(`GetPublicKey answer for alias/root (${arn})`);
  });
});
