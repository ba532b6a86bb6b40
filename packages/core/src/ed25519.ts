/**
 * Ed25519 (RFC 8032, pure) under one rule for every backend (ed25519-rule.ts): core checks the
 * encodings, the backend computes the cofactorless equation. The default backend is node:crypto
 * where the runtime has it, else WebCrypto (falling back to @noble where subtle lacks Ed25519),
 * else @noble. A caller may pin one process-wide (`useEd25519Backend`) or per call.
 */
import type { Ed25519Backend } from './ed25519-backend.js';
import { nobleBackend, decodePoint } from './ed25519-noble.js';
import { nodeBackend } from './ed25519-node.js';
import { webCryptoBackend } from './ed25519-webcrypto.js';
import { isAcceptableSignatureEncoding, isCanonicalPointEncoding, isSmallOrderEncoding } from './ed25519-rule.js';
import { KEY_CACHE_LIMIT, keyId } from './ed25519-backend.js';

export type { Ed25519Backend } from './ed25519-backend.js';
export { nobleBackend } from './ed25519-noble.js';
export { nodeBackend } from './ed25519-node.js';
export { webCryptoBackend, makeWebCryptoBackend, type WebCryptoBackend, type SubtleEd25519 } from './ed25519-webcrypto.js';

const defaultBackend: Ed25519Backend = nodeBackend ?? webCryptoBackend ?? nobleBackend;
let active: Ed25519Backend = defaultBackend;

/** The backend in use: `node:crypto` on Node, `webcrypto` where `crypto.subtle` exists, else `@noble/curves`. */
export function ed25519Backend(): Ed25519Backend {
  return active;
}

/** Pins a backend process-wide (`undefined` restores the default). */
export function useEd25519Backend(backend: Ed25519Backend | undefined): void {
  active = backend ?? defaultBackend;
}

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

function passesRule(publicKey: Uint8Array, signature: Uint8Array): boolean {
  return signature?.length === 64 && publicKey?.length === 32 && isAcceptableSignatureEncoding(signature) && isValidPublicKey(publicKey);
}

/** Ed25519 verification under core's rule; false (never a throw) for malformed keys or signatures. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, backend: Ed25519Backend = active): boolean {
  return passesRule(publicKey, signature) && backend.verify(publicKey, message, signature);
}

/** Like verifyEd25519, through the backend's asynchronous verify when it has one (WebCrypto). */
export async function verifyEd25519Async(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  backend: Ed25519Backend = active,
): Promise<boolean> {
  if (!passesRule(publicKey, signature)) return false;
  return backend.verifyAsync ? backend.verifyAsync(publicKey, message, signature) : backend.verify(publicKey, message, signature);
}
