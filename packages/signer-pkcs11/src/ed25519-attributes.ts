/** Reading an Ed25519 public key out of PKCS#11 attribute bytes. Pure functions. */
import { createPublicKey } from 'node:crypto';
import { checkPinnedKey } from '@a1/core';
import { EDWARDS25519_GNUPG_OID_DER, EDWARDS25519_NAME_DER, EDWARDS25519_OID_DER } from './constants.js';

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const EDWARDS25519_PARAMS = [EDWARDS25519_OID_DER, EDWARDS25519_NAME_DER, EDWARDS25519_GNUPG_OID_DER];

/**
 * Whether `CKA_EC_PARAMS` names edwards25519: the RFC 8410 OID or the printable string (the two
 * forms PKCS#11 3.0 allows), or GnuPG's OID, which OpenSC writes.
 */
export function isEdwards25519Params(params: Uint8Array): boolean {
  return EDWARDS25519_PARAMS.some((known) => equalBytes(params, known));
}

const CURVE_NAMES: ReadonlyArray<[string, string]> = [
  ['06082a8648ce3d030107', 'P-256 (prime256v1)'],
  ['06052b81040022', 'P-384 (secp384r1)'],
  ['06052b81040023', 'P-521 (secp521r1)'],
  ['06052b8104000a', 'secp256k1'],
  ['06032b6571', 'edwards448'],
  ['130a65647761726473343438', 'edwards448'],
  ['06032b656e', 'curve25519 (X25519)'],
];

/** A readable curve name for error messages, e.g. `P-256 (prime256v1)`. */
export function curveName(params: Uint8Array): string {
  if (isEdwards25519Params(params)) return 'edwards25519';
  const hex = Buffer.from(params).toString('hex');
  return CURVE_NAMES.find(([der]) => der === hex)?.[1] ?? `curve with CKA_EC_PARAMS ${hex}`;
}

/**
 * A 32-byte key read from the token must be a proper Ed25519 public key: a small-order or
 * non-point key (a tampered token object or a hostile HSM) would let anyone forge certs under it.
 * Refused as a non-retryable SignerError InvalidResponse naming the problem.
 */
function checkedKey(key: Uint8Array, attribute: string, keyId: string | undefined): Uint8Array {
  return checkPinnedKey(key, { provider: 'pkcs11', keyId, source: `the Ed25519 key in ${attribute}` });
}

/**
 * The 32 key bytes of `CKA_EC_POINT`: DER OCTET STRING `04 20` ‖ key (what PKCS#11 3.0 says and
 * SoftHSM2 does) or the raw 32 bytes (what some HSMs return). Any other shape is undefined; a
 * small-order or non-point key throws (see `checkedKey`).
 */
export function ed25519KeyFromEcPoint(point: Uint8Array, keyId?: string): Uint8Array | undefined {
  if (point.length === 34 && point[0] === 0x04 && point[1] === 0x20) return checkedKey(point.subarray(2), 'CKA_EC_POINT', keyId);
  if (point.length === 32) return checkedKey(point, 'CKA_EC_POINT', keyId);
  return undefined;
}

/**
 * The 32 key bytes of an Ed25519 SubjectPublicKeyInfo (`CKA_PUBLIC_KEY_INFO`), parsed by
 * node:crypto rather than by comparing a DER prefix by hand; anything else is undefined, and a
 * small-order or non-point key throws (see `checkedKey`).
 */
export function ed25519KeyFromSpki(spki: Uint8Array, keyId?: string): Uint8Array | undefined {
  let jwk: { kty?: string; crv?: string; x?: string };
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    // OpenSSL ignores bytes after the DER structure; a well-formed attribute has none.
    if (!key.export({ format: 'der', type: 'spki' }).equals(spki)) return undefined;
    jwk = key.export({ format: 'jwk' });
  } catch {
    return undefined;
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return undefined;
  const key = Buffer.from(jwk.x, 'base64url');
  return key.length === 32 ? checkedKey(key, 'CKA_PUBLIC_KEY_INFO', keyId) : undefined;
}
