/**
 * BLAKE3 in derive-key mode with the reference's context strings. Deriving the context key
 * re-hashes the context string every call (7–12 µs through @noble/hashes), so each context's
 * hasher is built once and cloned per use.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { utf8 } from './bytes.js';

type Hasher = ReturnType<typeof blake3.create>;

export const CONTEXT = {
  intentLeaf: 'a1::64796f6c6f::intent::leaf::v2.8.0',
  merkleNode: 'a1::64796f6c6f::merkle::node::v2.8.0',
  subscope: 'a1::64796f6c6f::subscope::commit::v2.8.0',
  certExt: 'a1::64796f6c6f::cert::ext::v2.8.0',
  certSig: 'a1::64796f6c6f::cert::sig::v2.8.0',
  certFp: 'a1::64796f6c6f::cert::fp::v2.8.0',
  chainFp: 'a1::64796f6c6f::chain::fp::v2.8.0',
  namespaceScope: 'a1::dyolo::namespace::scope::v2.8.0',
  narrowing: 'a1::dyolo::narrowing::v2.8.0',
} as const;

/** In-data ASCII tags the reference hashes after the version byte. */
export const TAG = {
  intent: 'a1::dyolo::intent::v2.8.0',
  subscope: 'a1::dyolo::subscope::v2.8.0',
  certExt: 'a1::dyolo::cert::ext::v2.8.0',
  certSig: 'a1::dyolo::cert::sig::v2.8.0',
  certFp: 'a1::dyolo::cert::fp::v2.8.0',
  chain: 'a1::dyolo::chain::v2.8.0',
} as const;

export type ContextName = keyof typeof CONTEXT;

const bases = new Map<ContextName, Hasher>();

/** A fresh derive-key hasher for `context`, ready for `update()`. */
export function deriveKeyHasher(context: ContextName): Hasher {
  let base = bases.get(context);
  if (!base) {
    base = blake3.create({ context: utf8(CONTEXT[context]) });
    bases.set(context, base);
  }
  return base.clone();
}

/** `DK(context) ‖ parts…` → 32 bytes. */
export function deriveKey(context: ContextName, ...parts: Uint8Array[]): Uint8Array {
  const h = deriveKeyHasher(context);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** BLAKE3 keyed mode (the VerifiedToken MAC). */
export function keyedHash(key: Uint8Array, data: Uint8Array): Uint8Array {
  return blake3(data, { key });
}
