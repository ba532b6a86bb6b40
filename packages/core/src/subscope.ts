/**
 * A sub-scope proof shows that a child scope's intents all lie in the parent's tree. The empty
 * proof is the full pass-through: the child's scope equals the parent's.
 */
import { u64le, utf8 } from './bytes.js';
import { A1Error } from './errors.js';
import { deriveKeyHasher, TAG } from './hashing.js';
import { IntentTree, verifyMerkleProof, type MerkleProof } from './merkle.js';

const VERSION = Uint8Array.of(1);
const SUBSCOPE_TAG = utf8(TAG.subscope);
const ONE = Uint8Array.of(1);
const ZERO = Uint8Array.of(0);

export class SubScopeProof {
  readonly subsetIntents: readonly Uint8Array[];
  readonly proofs: readonly MerkleProof[];

  constructor(subsetIntents: readonly Uint8Array[] = [], proofs: readonly MerkleProof[] = []) {
    this.subsetIntents = subsetIntents;
    this.proofs = proofs;
  }

  static passthrough(): SubScopeProof {
    return new SubScopeProof([], []);
  }

  /** Proves `subset` (intent hashes) against `tree`; IntentNotFound when one is missing. */
  static build(tree: IntentTree, subset: readonly Uint8Array[]): SubScopeProof {
    return new SubScopeProof(
      subset.map((s) => Uint8Array.from(s)),
      subset.map((s) => tree.prove(s)),
    );
  }

  isPassthrough(): boolean {
    return this.subsetIntents.length === 0 && this.proofs.length === 0;
  }

  commitment(): Uint8Array {
    const h = deriveKeyHasher('subscope');
    h.update(VERSION).update(SUBSCOPE_TAG).update(u64le(this.subsetIntents.length));
    for (const intent of this.subsetIntents) h.update(intent);
    h.update(u64le(this.proofs.length));
    for (const proof of this.proofs) {
      h.update(u64le(proof.siblings.length));
      for (const s of proof.siblings) h.update(s.hash).update(s.isLeft ? ONE : ZERO);
    }
    return h.digest();
  }

  /**
   * Checks every proof against `parentRoot` and returns the root of the subset's own tree.
   * An empty subset derives the parent root unchanged, as the reference does.
   */
  deriveRoot(parentRoot: Uint8Array): Uint8Array {
    if (this.subsetIntents.length === 0) return Uint8Array.from(parentRoot);
    if (this.subsetIntents.length !== this.proofs.length) throw new A1Error('InvalidSubScopeProof');
    for (let i = 0; i < this.subsetIntents.length; i++) {
      if (!verifyMerkleProof(this.proofs[i]!, this.subsetIntents[i]!, parentRoot)) {
        throw new A1Error('InvalidSubScopeProof');
      }
    }
    return IntentTree.build(this.subsetIntents).root();
  }
}
