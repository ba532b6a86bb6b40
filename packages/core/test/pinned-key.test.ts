/**
 * Where a signer pins its key: a small-order or non-point key reported by a KMS is a
 * non-retryable SignerError InvalidResponse naming the problem, through `checkPinnedKey` (what
 * every signer package calls) and through `issuePassport`'s fixed-key path, before anything is signed.
 */
import { describe, expect, it } from 'vitest';
import { checkPinnedKey, issuePassport, LocalSigner, SignerError, type AsyncSigner, type Signer } from '../src/index.js';
import { hex } from './helpers.js';

const ZERO = new Uint8Array(32);
const IDENTITY = hex('01'.padEnd(64, '0'));
const ORDER8 = hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'); // sign bit set
const NON_CANONICAL = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
const NOT_A_POINT = hex('02'.padEnd(64, '0')); // y = 2 has no x on the curve
const honest = LocalSigner.fromSeed(new Uint8Array(32).fill(7));

const catchIt = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('checkPinnedKey', () => {
  it.each([
    ['00…00', ZERO, /small-order/],
    ['the identity', IDENTITY, /small-order/],
    ['an order-8 point with the sign bit', ORDER8, /small-order/],
    ['y = p (non-canonical)', NON_CANONICAL, /small-order/],
    ['a y with no curve point', NOT_A_POINT, /not a valid Ed25519 public key/],
  ])('refuses %s: InvalidResponse, not retryable, naming the problem and the key', (_label, key, problem) => {
    const err = catchIt(() => checkPinnedKey(key, { provider: 'aws-kms', keyId: 'arn:aws:kms:k', source: 'GetPublicKey answer' }));
    expect(err).toBeInstanceOf(SignerError);
    expect(err).toMatchObject({ code: 'InvalidResponse', retryable: false, provider: 'aws-kms', keyId: 'arn:aws:kms:k' });
    expect((err as Error).message).toMatch(problem);
    expect((err as Error).message).toContain('GetPublicKey answer is');
  });

  it('a wrong length stays retryable (a truncated answer may be transient)', () => {
    expect(catchIt(() => checkPinnedKey(new Uint8Array(31), { provider: 'p' }))).toMatchObject({ code: 'InvalidResponse', retryable: true });
    expect(catchIt(() => checkPinnedKey('zz', { provider: 'p' }))).toMatchObject({ code: 'InvalidResponse' });
  });

  it('returns a copy of an honest key', () => {
    const key = honest.verifyingKey();
    const pinned = checkPinnedKey(key, { provider: 'p' });
    expect(pinned).toEqual(key);
    expect(pinned).not.toBe(key);
  });
});

describe("issuePassport's fixed-key path", () => {
  for (const [label, key] of [['00…00', ZERO], ['identity', IDENTITY], ['not a point', NOT_A_POINT]] as const) {
    it(`a signer reporting ${label} is a non-retryable SignerError before anything is signed (sync and async)`, async () => {
      let signed = 0;
      const sync: Signer & { provider: string; keyId: string } = {
        provider: 'evil-kms',
        keyId: 'k1',
        verifyingKey: () => key,
        signMessage: () => (signed++, new Uint8Array(64)),
      };
      const remote: AsyncSigner & { provider: string } = {
        provider: 'evil-kms',
        keyId: 'k1',
        verifyingKey: async () => key,
        signMessage: async () => (signed++, new Uint8Array(64)),
      };
      const options = { namespace: 'acme', capabilities: ['trade'], ttlSeconds: 60, now: 1_700_000_000n };
      const err = catchIt(() => issuePassport({ ...options, signer: sync }));
      expect(err).toBeInstanceOf(SignerError);
      expect(err).toMatchObject({ code: 'InvalidResponse', retryable: false, provider: 'evil-kms', keyId: 'k1' });
      await expect(issuePassport({ ...options, signer: remote })).rejects.toMatchObject({ code: 'InvalidResponse', retryable: false });
      expect(signed).toBe(0);
    });
  }
});
