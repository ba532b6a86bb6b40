import { blake3 } from '@noble/hashes/blake3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT, deriveKey, keyedHash, type ContextName } from '../src/hashing.js';

describe('the one-chunk BLAKE3 path equals @noble/hashes', () => {
  const contexts = Object.keys(CONTEXT) as ContextName[];
  it('derive-key mode, every context, inputs of 0–2048 bytes (both sides of the chunk boundary)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...contexts), fc.uint8Array({ maxLength: 2048 }), (ctx, data) => {
        const want = blake3(data, { context: new TextEncoder().encode(CONTEXT[ctx]) });
        expect(deriveKey(ctx, data)).toEqual(want);
      }),
      { numRuns: 1500 },
    );
  });
  it('every length from 0 to 1100 bytes', () => {
    const data = Uint8Array.from({ length: 1100 }, (_, i) => (i * 31 + 7) & 0xff);
    for (let n = 0; n <= 1100; n++) {
      expect(deriveKey('certSig', data.subarray(0, n))).toEqual(blake3(data.subarray(0, n), { context: new TextEncoder().encode(CONTEXT.certSig) }));
    }
  });
  it('keyed mode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 1500 }), (key, data) => {
        expect(keyedHash(key, data)).toEqual(blake3(data, { key }));
      }),
      { numRuns: 500 },
    );
  });
});
