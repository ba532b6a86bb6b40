/**
 * Intent Merkle trees as the reference builds them: leaves sorted bytewise and de-duplicated,
 * neighbours paired level by level, an odd last node carried up unchanged.
 */
import { compareBytes, equalBytes } from './bytes.js';
import { A1Error } from './errors.js';
import { deriveKey } from './hashing.js';

export interface MerkleSibling {
  hash: Uint8Array;
  /** True when the sibling is the left child. */
  isLeft: boolean;
}

export interface MerkleProof {
  siblings: MerkleSibling[];
}

const VERSION = Uint8Array.of(1);

export function merkleNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  return deriveKey('merkleNode', VERSION, left, right);
}

export function emptyProof(): MerkleProof {
  return { siblings: [] };
}

/** Folds the siblings into the leaf; an empty proof verifies only when leaf == root. */
export function merkleRootFromProof(proof: MerkleProof, leaf: Uint8Array): Uint8Array {
  let acc = leaf;
  for (const s of proof.siblings) acc = s.isLeft ? merkleNode(s.hash, acc) : merkleNode(acc, s.hash);
  return acc;
}

/** Deeper than any tree of distinct 32-byte leaves can be; longer proofs are refused unhashed. */
export const MAX_PROOF_DEPTH = 64;

export function verifyMerkleProof(proof: MerkleProof, leaf: Uint8Array, root: Uint8Array): boolean {
  if (proof.siblings.length > MAX_PROOF_DEPTH) return false;
  return equalBytes(merkleRootFromProof(proof, leaf), root);
}

export class IntentTree {
  /** layers[0] = sorted unique leaves, last layer = [root]. */
  private constructor(private readonly layers: Uint8Array[][]) {}

  static build(leaves: readonly Uint8Array[]): IntentTree {
    if (leaves.length === 0) throw new A1Error('EmptyTree');
    const sorted = [...leaves].map((l) => Uint8Array.from(l)).sort(compareBytes);
    const unique = sorted.filter((l, i) => i === 0 || !equalBytes(l, sorted[i - 1]!));
    const layers: Uint8Array[][] = [unique];
    let level: Uint8Array[] = unique;
    while (level.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += 2) {
        next.push(i + 1 < level.length ? merkleNode(level[i]!, level[i + 1]!) : level[i]!);
      }
      layers.push(next);
      level = next;
    }
    return new IntentTree(layers);
  }

  root(): Uint8Array {
    return Uint8Array.from(this.layers[this.layers.length - 1]![0]!);
  }

  leafCount(): number {
    return this.layers[0]!.length;
  }

  /** The sorted, de-duplicated leaves. */
  leaves(): Uint8Array[] {
    return this.layers[0]!.map((l) => Uint8Array.from(l));
  }

  /** Every level from the leaves up to the root. */
  levels(): Uint8Array[][] {
    return this.layers.map((layer) => layer.map((n) => Uint8Array.from(n)));
  }

  contains(leaf: Uint8Array): boolean {
    return this.indexOf(leaf) >= 0;
  }

  prove(leaf: Uint8Array): MerkleProof {
    let index = this.indexOf(leaf);
    if (index < 0) throw new A1Error('IntentNotFound');
    const siblings: MerkleSibling[] = [];
    for (let depth = 0; depth < this.layers.length - 1; depth++) {
      const layer = this.layers[depth]!;
      const sibling = index % 2 === 0 ? index + 1 : index - 1;
      if (sibling < layer.length) siblings.push({ hash: Uint8Array.from(layer[sibling]!), isLeft: sibling < index });
      index = Math.floor(index / 2);
    }
    return { siblings };
  }

  private indexOf(leaf: Uint8Array): number {
    const layer = this.layers[0]!;
    let lo = 0;
    let hi = layer.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareBytes(layer[mid]!, leaf);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
