/**
 * The capability set in force at each hop, re-derived from the chain itself: a hop with a
 * sub-scope proof lists its capability leaves (`subset_intents`) and its scope root is their
 * Merkle root; a pass-through hop keeps its delegator's set, down to the principal's scope
 * (the passport's capabilities, when the passport is known). No side files are needed.
 */
import { equalBytes, intentHash, IntentTree, toHex, type DelegationCert, type SignedChain } from '@a1/core';

/** The leaves whose Merkle root is `chain.certs[index].scopeRoot` (index -1: the principal scope). */
export function hopLeaves(chain: SignedChain, index: number, principalLeaves?: readonly Uint8Array[]): Uint8Array[] | undefined {
  for (let i = index; i >= 0; i--) {
    const cert = chain.certs[i]!;
    if (cert.scopeProof.isPassthrough()) continue;
    const leaves = cert.scopeProof.subsetIntents.map((l) => Uint8Array.from(l));
    return equalBytes(IntentTree.build(leaves).root(), cert.scopeRoot) ? leaves : undefined;
  }
  if (principalLeaves && principalLeaves.length > 0 && equalBytes(IntentTree.build(principalLeaves).root(), chain.principalScope)) {
    return principalLeaves.map((l) => Uint8Array.from(l));
  }
  return undefined;
}

/** Names for leaves we know the action of; unknown leaves as `intent:<hex prefix>`. */
export function leafNames(leaves: readonly Uint8Array[], knownNames: readonly string[]): string[] {
  const byHash = new Map(knownNames.map((n) => [toHex(intentHash(n)), n]));
  return leaves.map((leaf) => byHash.get(toHex(leaf)) ?? `intent:${toHex(leaf).slice(0, 16)}…`);
}

/** The smallest `max_depth` among the certs before `index` (255 when none), as the verifier applies it. */
export function depthLimitBefore(certs: readonly DelegationCert[], index: number): number {
  let limit = 255;
  for (let i = 0; i < index; i++) limit = Math.min(limit, certs[i]!.maxDepth);
  return limit;
}
