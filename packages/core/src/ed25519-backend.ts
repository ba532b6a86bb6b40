/**
 * What an Ed25519 backend provides. `verify` computes only the cofactorless equation
 * encode([S]B − [k]A) == R: callers go through `verifyEd25519`, which applies core's rule
 * (ed25519-rule.ts) first, so every backend answers the same on every input.
 */
export interface Ed25519Backend {
  readonly name: 'node:crypto' | '@noble/curves' | 'webcrypto' | 'libsodium';
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Present on backends whose native verify is asynchronous (WebCrypto); `authorize` prefers it. */
  verifyAsync?(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  publicKeyOf(seed: Uint8Array): Uint8Array;
  /** A signing function bound to one key, with whatever key setup the backend needs done once. */
  signerFor(seed: Uint8Array): (message: Uint8Array) => Uint8Array;
}

/** Verifiers see the same few keys again and again; caches are cleared when they reach this. */
export const KEY_CACHE_LIMIT = 4096;

/** A byte string usable as a Map key (latin1: one char per byte). */
export function keyId(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** A Map that forgets everything when full (keys are few; a hostile flood only costs re-decoding). */
export function remember<V>(cache: Map<string, V>, id: string, value: V): V {
  if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
  cache.set(id, value);
  return value;
}
