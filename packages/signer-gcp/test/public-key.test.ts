/** ed25519KeyFromPem: Cloud KMS's PEM answer, parsed by node:crypto. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519KeyFromPem } from '../src/public-key.js';

const pemOf = (der: Buffer) => `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;

describe('ed25519KeyFromPem', () => {
  it('returns the raw 32-byte key of an Ed25519 PEM', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(Buffer.from(ed25519KeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as Uint8Array)).toEqual(raw);
  });

  it('names what is wrong with other keys and damaged PEMs', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(ed25519KeyFromPem(p256)).toMatch(/not Ed25519/);
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(ed25519KeyFromPem(pemOf(x25519))).toMatch(/X25519.*not Ed25519/);
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(ed25519KeyFromPem(pemOf(Buffer.concat([ed, Buffer.from([0])])))).toMatch(/not an SPKI|canonical/);
    expect(ed25519KeyFromPem(pemOf(ed.subarray(0, 40)))).toMatch(/not an SPKI/);
    expect(ed25519KeyFromPem('not a pem')).toMatch(/single PUBLIC KEY block/);
  });
});

describe('GcpKmsSigner refuses a small-order public key at first use (issue 12 §1)', () => {
  it('InvalidResponse, not retryable, one GetPublicKey, nothing signed', async () => {
    const { startFixture } = await import('./helpers.js');
    const fx = await startFixture();
    try {
      const zeroKey = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.alloc(32)]);
      fx.emulator.quirks.answerPem = pemOf(zeroKey);
      const signer = fx.signer();
      const err = await signer.signMessage(new Uint8Array(32)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'InvalidResponse', retryable: false });
      expect((err as Error).message).toMatch(/small-order/);
      expect(fx.emulator.calls.snapshot()).toEqual({ GetPublicKey: 1 });
    } finally {
      await fx.close();
    }
  });
});

describe('GcpKmsSigner.verifyingKey() refuses any key core refuses, through core checkPinnedKey (red-team M2)', () => {
  const spkiOf = (raw: Buffer) => Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);

  it.each([
    ['00…00 (small order)', Buffer.alloc(32), /GetPublicKey answer is a small-order Ed25519 public key; refused/],
    ['y = 2 (not a curve point)', Buffer.from(`02${'00'.repeat(31)}`, 'hex'), /GetPublicKey answer is not a valid Ed25519 public key; refused/],
    ['y = p + 3 (non-canonical encoding)', Buffer.from(`f0${'ff'.repeat(30)}7f`, 'hex'), /GetPublicKey answer is not a valid Ed25519 public key; refused/],
  ])('%s: InvalidResponse, not retryable, asked once, and asked again on the next call', async (_what, raw, why) => {
    const { startFixture } = await import('./helpers.js');
    const fx = await startFixture();
    try {
      // The real client over a real socket; the emulator answers GetPublicKey with this PEM (and its CRC).
      fx.emulator.quirks.answerPem = pemOf(spkiOf(raw));
      const signer = fx.signer();
      const err = await signer.verifyingKey().catch((e: unknown) => e);
      expect(err).toMatchObject({ provider: 'gcp-kms', keyId: signer.keyId, code: 'InvalidResponse', retryable: false });
      expect((err as Error).message).toMatch(why);
      expect(fx.emulator.calls.snapshot()).toEqual({ GetPublicKey: 1 });
      // Nothing bad was pinned: once the service answers the real key, the signer works.
      fx.emulator.quirks.answerPem = undefined;
      const key = await signer.verifyingKey();
      expect(key).toHaveLength(32);
      expect(Buffer.from(key).equals(raw)).toBe(false);
    } finally {
      await fx.close();
    }
  });
});
