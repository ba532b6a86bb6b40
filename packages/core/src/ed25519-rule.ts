/**
 * The one Ed25519 acceptance rule core applies before any backend is asked (libsodium's rule):
 * S < L; A is the canonical encoding of a point that is not of small order; R is not one of the
 * small-order encodings; then the cofactorless equation, which every backend computes. Under it
 * node:crypto, @noble, WebCrypto and libsodium give the same verdict on every input, and a
 * small-order key (under which one constant signature verifies for every message) is refused.
 * These are byte comparisons only, so the hot path stays cheap.
 */
import { fromHex } from './bytes.js';

/** The y coordinates (little-endian, sign bit cleared) of the 8 small-order points, plus the
 * non-canonical y = p and y = p + 1 (libsodium's `ge25519_has_small_order` list). Compared
 * ignoring the sign bit, this covers every small-order encoding, canonical or not (14 in all). */
const SMALL_ORDER_Y: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000', // y = 0 (order 4)
  '0100000000000000000000000000000000000000000000000000000000000000', // y = 1 (identity)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p − 1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p (≡ 0, non-canonical)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1 (≡ 1, non-canonical)
].map((hex) => fromHex(hex, 'small-order y'));

/** The group order L, little-endian. */
const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'L');

/** True for every encoding of a small-order point (the sign bit is ignored): the 32 bytes at `at`. */
export function isSmallOrderEncoding(bytes: Uint8Array, at = 0): boolean {
  for (const y of SMALL_ORDER_Y) {
    let i = 0;
    while (i < 31 && bytes[at + i] === y[i]) i++;
    if (i === 31 && (bytes[at + 31]! & 0x7f) === y[31]) return true;
  }
  return false;
}

/** y < p = 2^255 − 19 (the sign bit is not part of y). */
export function isCanonicalPointEncoding(bytes: Uint8Array): boolean {
  if ((bytes[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (bytes[i] !== 0xff) return true;
  return bytes[0]! < 0xed;
}

/** S < L for the 32-byte little-endian scalar at `at`, compared from the most significant byte. */
export function isCanonicalScalar(bytes: Uint8Array, at = 0): boolean {
  for (let i = 31; i >= 0; i--) {
    if (bytes[at + i]! !== L[i]!) return bytes[at + i]! < L[i]!;
  }
  return false; // S == L
}

/** The rule's checks on the signature bytes: 64 long, R not small-order, S < L. */
export function isAcceptableSignatureEncoding(signature: Uint8Array): boolean {
  return signature.length === 64 && !isSmallOrderEncoding(signature, 0) && isCanonicalScalar(signature, 32);
}
