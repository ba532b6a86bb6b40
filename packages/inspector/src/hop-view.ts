/**
 * The picture's model: one entry per hop, principal to holder, with what a person needs to read
 * it — short key fingerprints, the capabilities in force (named when the page knows the name,
 * else a hash prefix), how the hop narrowed its delegator's scope, validity, extensions and
 * whether its signature verifies. Capabilities are re-derived from the chain as the CLI's
 * `a1 inspect` does (packages/cli/src/hop-scope.ts): a hop's sub-scope proof lists its leaves.
 */
import { certFingerprint, equalBytes, IntentTree, toHex, verifyCertSignature, type DelegationCert, type ExtValue, type SignedChain } from '@a1/core';

export interface HopView {
  index: number;
  delegator: string;
  delegate: string;
  selfSigned: boolean;
  linked: boolean;
  /** Named capabilities in force after this hop; undefined when the chain does not say. */
  capabilities: string[] | undefined;
  narrowing: string;
  issuedAt: bigint;
  expiration: bigint;
  maxDepth: number;
  extensions: [string, string][];
  fingerprint: string;
  signatureValid: boolean;
}

/** A key's short fingerprint: the first 16 hex digits, in two groups. */
export function shortKey(key: Uint8Array): string {
  const hex = toHex(key);
  return `${hex.slice(0, 8)} ${hex.slice(8, 16)}`;
}

function extText(value: ExtValue): string {
  if (value.type === 'Strings') return value.value.join(', ');
  return String(value.value);
}

function leavesOf(cert: DelegationCert): Uint8Array[] | undefined {
  const leaves = cert.scopeProof.subsetIntents.map((l) => Uint8Array.from(l));
  return equalBytes(IntentTree.build(leaves).root(), cert.scopeRoot) ? leaves : undefined;
}

function name(leaf: Uint8Array, names: ReadonlyMap<string, string>): string {
  const hex = toHex(leaf);
  return names.get(hex) ?? `intent ${hex.slice(0, 12)}…`;
}

/** `principalLeaves`: the principal scope's leaves when known (a passport's capabilities). */
export function hopViews(chain: SignedChain, names: ReadonlyMap<string, string>, principalLeaves?: Uint8Array[]): HopView[] {
  let inForce: Uint8Array[] | undefined =
    principalLeaves?.length && equalBytes(IntentTree.build(principalLeaves).root(), chain.principalScope) ? principalLeaves : undefined;
  return chain.certs.map((cert, index) => {
    const parentCount = inForce?.length;
    let narrowing: string;
    // No listed intents keeps the delegator's scope, as core derives it (even with stray proofs).
    if (cert.scopeProof.subsetIntents.length === 0) {
      narrowing = 'pass-through: keeps its delegator’s whole scope';
    } else {
      const leaves = leavesOf(cert);
      inForce = leaves;
      const count = cert.scopeProof.subsetIntents.length;
      narrowing = leaves
        ? `narrowed to ${count}${parentCount === undefined ? '' : ` of ${parentCount}`} capabilit${count === 1 && parentCount === undefined ? 'y' : 'ies'}`
        : 'its listed capabilities do not hash to its scope (a verifier refuses it)';
    }
    const expectedDelegator = index === 0 ? chain.principalPk : chain.certs[index - 1]!.delegatePk;
    return {
      index,
      delegator: toHex(cert.delegatorPk),
      delegate: toHex(cert.delegatePk),
      selfSigned: equalBytes(cert.delegatorPk, cert.delegatePk),
      linked: equalBytes(cert.delegatorPk, expectedDelegator),
      capabilities: inForce?.map((leaf) => name(leaf, names)),
      narrowing,
      issuedAt: cert.issuedAt,
      expiration: cert.expirationUnix,
      maxDepth: cert.maxDepth,
      extensions: cert.extensions.entries().map(([k, v]) => [k, extText(v)] as [string, string]),
      fingerprint: toHex(certFingerprint(cert)),
      signatureValid: verifyCertSignature(cert),
    };
  });
}
