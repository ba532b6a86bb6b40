/**
 * Core's check on a 32-byte Ed25519 public key: the canonical encoding of a curve point that is
 * not of small order. Shared by the parsers, CertBuilder, signers' pinned keys and the rule.
 */
import { KEY_CACHE_LIMIT, keyId } from './ed25519-backend.js';
import { decodePoint } from './ed25519-noble.js';
import { isCanonicalPointEncoding, isSmallOrderEncoding } from './ed25519-rule.js';

// Keys that passed the rule; checking one again is a Set lookup instead of a square root.
const knownValidKeys = new Set<string>();

/** Why a 32-byte key is refused, or undefined for a valid one. */
export function publicKeyProblem(publicKey: Uint8Array): 'not a valid Ed25519 public key' | 'a small-order Ed25519 public key' | undefined {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return 'not a valid Ed25519 public key';
  const id = keyId(publicKey);
  if (knownValidKeys.has(id)) return undefined;
  // Under a small-order key one constant signature verifies for every message: never a key.
  if (isSmallOrderEncoding(publicKey)) return 'a small-order Ed25519 public key';
  if (!isCanonicalPointEncoding(publicKey) || !decodePoint(publicKey)) return 'not a valid Ed25519 public key';
  if (knownValidKeys.size >= KEY_CACHE_LIMIT) knownValidKeys.clear();
  knownValidKeys.add(id);
  return undefined;
}

/**
 * True when the 32 bytes are the canonical encoding of a curve point that is not of small order
 * (the reference accepts small-order keys; we refuse them, see docs/interop.md).
 */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  return publicKeyProblem(publicKey) === undefined;
}
