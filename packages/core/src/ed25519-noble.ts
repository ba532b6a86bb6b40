/**
 * Ed25519 on @noble/curves (pure JS: browsers, edge runtimes). Verification is the cofactorless
 * equation computed with noble's point API: noble's own `verify` checks the cofactored equation
 * ([8][S]B = [8]R + [8][k]A) even with `zip215: false`, which accepts signatures with a
 * small-order component that node:crypto, libsodium and the reference refuse.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { equalBytes } from './bytes.js';
import { keyId, remember, type Ed25519Backend } from './ed25519-backend.js';

type Point = InstanceType<typeof ed25519.Point>;
const { Point: EdPoint } = ed25519;
const L = EdPoint.Fn.ORDER;

// Decoding a point costs a square root; keep the decoded keys (null: not a point).
const points = new Map<string, Point | null>();

/** Strict RFC 8032 decoding (y < p; x = 0 with the sign bit set is refused); null when not a point. */
export function decodePoint(bytes: Uint8Array): Point | null {
  const id = keyId(bytes);
  const known = points.get(id);
  if (known !== undefined) return known;
  let point: Point | null;
  try {
    point = EdPoint.fromBytes(bytes, false);
  } catch {
    point = null;
  }
  return remember(points, id, point);
}

/** encode([S]B − [k]A) == R, k = SHA-512(R ‖ A ‖ M) mod L; S < L is required here too. */
function verifyCofactorless(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const A = decodePoint(publicKey);
  if (!A) return false;
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32));
  if (s >= L) return false;
  const hash = sha512.create().update(r).update(publicKey).update(message).digest();
  const k = bytesToNumberLE(hash) % L;
  const check = EdPoint.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  return equalBytes(check.toBytes(), r);
}

export const nobleBackend: Ed25519Backend = {
  name: '@noble/curves',
  verify(publicKey, message, signature) {
    try {
      return verifyCofactorless(publicKey, message, signature);
    } catch {
      return false;
    }
  },
  sign: (seed, message) => ed25519.sign(message, seed),
  publicKeyOf: (seed) => ed25519.getPublicKey(seed),
  signerFor: (seed) => (message) => ed25519.sign(message, seed),
};
