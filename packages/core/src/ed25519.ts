/**
 * Ed25519 (RFC 8032, pure) under one rule for every backend (ed25519-rule.ts): core checks the
 * encodings, the backend computes the cofactorless equation. The default backend is node:crypto
 * where the runtime has it, else WebCrypto (falling back to @noble where subtle lacks Ed25519),
 * else @noble. A caller may pin one process-wide (`useEd25519Backend`) or per call.
 */
import type { Ed25519Backend } from './ed25519-backend.js';
import { passesRule, rawVerifyAsyncOf, rawVerifyOf, underRule } from './ed25519-guard.js';
import { nobleBackend as bareNoble } from './ed25519-noble.js';
import { nodeBackend as bareNode } from './ed25519-node.js';
import { makeWebCryptoBackend as makeBareWebCrypto, type SubtleEd25519, type WebCryptoBackend } from './ed25519-webcrypto.js';

export type { Ed25519Backend } from './ed25519-backend.js';
export type { WebCryptoBackend, SubtleEd25519 } from './ed25519-webcrypto.js';
export { publicKeyProblem, isValidPublicKey } from './ed25519-public-key.js';

// The exported backends apply core's rule in their own verify, so calling one directly is as safe
// as verifyEd25519; verifyEd25519 itself checks the rule once and calls their bare equation.
export const nobleBackend: Ed25519Backend = underRule(bareNoble);
export const nodeBackend: Ed25519Backend | undefined = bareNode && underRule(bareNode);

/** A WebCrypto backend over a given `subtle` (falling back to @noble where it lacks Ed25519), under core's rule. */
export function makeWebCryptoBackend(subtle: SubtleEd25519): WebCryptoBackend {
  return underRule(makeBareWebCrypto(subtle));
}

const subtle = (globalThis as { crypto?: { subtle?: SubtleEd25519 } }).crypto?.subtle;
/** WebCrypto where the runtime has `crypto.subtle` (it falls back to @noble if subtle lacks Ed25519). */
export const webCryptoBackend: WebCryptoBackend | undefined = subtle ? makeWebCryptoBackend(subtle) : undefined;

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

/** Ed25519 verification under core's rule; false (never a throw) for malformed keys or signatures. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, backend: Ed25519Backend = active): boolean {
  // The rule once here, then the backend's bare equation (ours skip their own copy of the rule).
  return passesRule(publicKey, signature) && rawVerifyOf(backend).call(backend, publicKey, message, signature);
}

/** Like verifyEd25519, through the backend's asynchronous verify when it has one (WebCrypto). */
export async function verifyEd25519Async(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  backend: Ed25519Backend = active,
): Promise<boolean> {
  if (!passesRule(publicKey, signature)) return false;
  const verifyAsync = rawVerifyAsyncOf(backend);
  return verifyAsync ? verifyAsync.call(backend, publicKey, message, signature) : rawVerifyOf(backend).call(backend, publicKey, message, signature);
}
