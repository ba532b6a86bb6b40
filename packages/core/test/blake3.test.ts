import { blake3 } from '@noble/hashes/blake3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT, deriveKey, keyedHash, type ContextName } from '../src/hashing.js';

describe('our BLAKE3 equals @noble/hashes', () => {
  const contexts = Object.keys(CONTEXT) as ContextName[];
  it('derive-key mode, every context, inputs of 0–9000 bytes (one to nine chunks)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...contexts), fc.uint8Array({ maxLength: 9000 }), (ctx, data) => {
        const want = blake3(data, { context: new TextEncoder().encode(CONTEXT[ctx]) });
        expect(deriveKey(ctx, data)).toEqual(want);
      }),
      { numRuns: 1500 },
    );
  });
  it('every length from 0 to 1100 bytes, and around every chunk boundary up to 17 chunks', () => {
    const data = Uint8Array.from({ length: 17 * 1024 + 2 }, (_, i) => (i * 31 + 7) & 0xff);
    const lengths = [...Array(1101).keys()];
    for (let c = 2; c <= 17; c++) lengths.push(c * 1024 - 1, c * 1024, c * 1024 + 1);
    for (const n of lengths) {
      expect(deriveKey('certSig', data.subarray(0, n))).toEqual(blake3(data.subarray(0, n), { context: new TextEncoder().encode(CONTEXT.certSig) }));
    }
  });
  it('keyed mode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 6000 }), (key, data) => {
        expect(keyedHash(key, data)).toEqual(blake3(data, { key }));
      }),
      { numRuns: 500 },
    );
  });
});
