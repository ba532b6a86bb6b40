/**
 * BLAKE3 in derive-key mode with the reference's context strings, each context key derived once,
 * and the keyed mode of the token MAC (implementation in blake3.ts).
 */
import { CHUNK_LEN, FLAG_DERIVE_KEY_CONTEXT, FLAG_DERIVE_KEY_MATERIAL, FLAG_KEYED_HASH, hashTree, IV_WORDS, keyWords } from './blake3.js';
import { utf8 } from './bytes.js';

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

const contextKeys = new Map<ContextName, { bytes: Uint8Array; words: Uint32Array }>();

function contextKey(context: ContextName): { bytes: Uint8Array; words: Uint32Array } {
  let key = contextKeys.get(context);
  if (!key) {
    const ctx = utf8(CONTEXT[context]);
    // The context string itself may exceed one chunk only in theory; ours are short.
    const bytes = hashTree(IV_WORDS, FLAG_DERIVE_KEY_CONTEXT, ctx);
    key = { bytes, words: keyWords(bytes) };
    contextKeys.set(context, key);
  }
  return key;
}

/**
 * Collects references to the input parts, then hashes them in one go (one-chunk inputs are
 * copied into a shared scratch block, so hashing allocates almost nothing).
 */
export class DeriveKeyHasher {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  constructor(private readonly context: ContextName) {}

  update(data: Uint8Array): this {
    this.parts.push(data);
    this.length += data.length;
    return this;
  }

  digest(): Uint8Array {
    const key = contextKey(this.context);
    // `digest` runs start to finish without yielding, so one scratch buffer serves every hasher.
    const data = this.length <= CHUNK_LEN ? scratch.subarray(0, this.length) : new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      data.set(p, at);
      at += p.length;
    }
    return hashTree(key.words, FLAG_DERIVE_KEY_MATERIAL, data);
  }
}

const scratch = new Uint8Array(CHUNK_LEN);

/** A fresh derive-key hasher for `context`, ready for `update()`. */
export function deriveKeyHasher(context: ContextName): DeriveKeyHasher {
  return new DeriveKeyHasher(context);
}

/** `DK(context) ‖ parts…` → 32 bytes. */
export function deriveKey(context: ContextName, ...parts: Uint8Array[]): Uint8Array {
  const h = deriveKeyHasher(context);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** BLAKE3 keyed mode (the VerifiedToken MAC). */
export function keyedHash(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hashTree(keyWords(key), FLAG_KEYED_HASH, data);
}
