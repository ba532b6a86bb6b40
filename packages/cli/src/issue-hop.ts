/**
 * Building the next hop of a chain: the first hop from a passport (`Passport.issueSub`), or a
 * later hop proved against the previous hop's capability set, with the same passport
 * extensions and a narrowed mask. Everything the verifier would refuse is refused here first,
 * before the key backend is asked to sign.
 */
import {
  A1Error,
  CertBuilder,
  equalBytes,
  intentHash,
  IntentTree,
  NarrowingMatrix,
  SubScopeProof,
  toHex,
  type AsyncSigner,
  type DelegationCert,
  type Passport,
  type Signer,
  type SignedChain,
} from '@a1/core';
import { usageError } from './cli-error.js';
import { depthLimitBefore, hopLeaves } from './hop-scope.js';
import { isoTime } from './time-text.js';

export interface HopRequest {
  passport: Passport;
  /** The chain to extend; undefined starts a new one from the passport. */
  chain?: SignedChain;
  signer: Signer | AsyncSigner;
  delegatePk: Uint8Array;
  capabilities: readonly string[];
  ttlSeconds: number;
  maxDepth?: number;
  now: bigint;
}

const EXT = { version: 'dyolo.passport.v', namespace: 'dyolo.passport.namespace', mask: 'dyolo.passport.mask' } as const;

async function signerKey(signer: Signer | AsyncSigner): Promise<Uint8Array> {
  return await signer.verifyingKey();
}

/** Issues the hop and returns the chain with it appended (a new chain for the first hop). */
export async function issueHop(request: HopRequest): Promise<{ chain: SignedChain; cert: DelegationCert }> {
  const { passport, signer, delegatePk, capabilities, ttlSeconds, now } = request;
  const signerPk = await signerKey(signer);
  const expiration = now + BigInt(ttlSeconds);

  if (!request.chain || request.chain.certs.length === 0) {
    if (!equalBytes(signerPk, passport.holderPk)) {
      throw usageError(`the signer's key ${toHex(signerPk).slice(0, 16)}… is not the passport holder ${toHex(passport.holderPk).slice(0, 16)}…`, 'the first hop is signed with the passport key; later hops with --chain');
    }
    if (expiration > passport.cert.expirationUnix) {
      throw usageError(`--ttl would outlive the passport, which expires ${isoTime(passport.cert.expirationUnix)}`, 'shorten --ttl');
    }
    const notHeld = capabilities.filter((c) => !passport.capabilities.includes(c));
    if (notHeld.length > 0) {
      throw new A1Error('PassportNarrowingViolation', { reason: `the passport does not grant ${notHeld.join(', ')} (it grants ${passport.capabilities.join(', ')})` });
    }
    const cert = await passport.issueSub({ delegatePk, capabilities, ttlSeconds, signer, now, ...(request.maxDepth !== undefined ? { maxDepth: request.maxDepth } : {}) });
    const chain = passport.newChain();
    chain.certs.push(cert);
    return { chain, cert };
  }

  const chain = request.chain;
  const index = chain.certs.length;
  const last = chain.certs[index - 1]!;
  if (!equalBytes(chain.principalPk, passport.holderPk)) throw usageError('the chain was not issued from this passport (principal differs)');
  if (!equalBytes(signerPk, last.delegatePk)) {
    throw usageError(`the signer's key ${toHex(signerPk).slice(0, 16)}… is not the chain's last delegate ${toHex(last.delegatePk).slice(0, 16)}…`, "sign the next hop with the last delegate's key");
  }
  if (expiration > last.expirationUnix) {
    throw usageError(`--ttl would outlive hop ${index - 1}, which expires ${isoTime(last.expirationUnix)}`, 'a delegate cannot hold authority longer than its delegator; shorten --ttl');
  }
  const limit = Math.min(depthLimitBefore(chain.certs, index), last.maxDepth);
  if (index + 1 > limit) throw new A1Error('MaxDepthExceeded', { index, limit });

  const parentLeaves = hopLeaves(chain, index - 1, passport.capabilities.map((c) => intentHash(c)));
  if (!parentLeaves) throw usageError(`cannot tell which capabilities hop ${index - 1} holds`, 'was the chain issued from this passport?');
  const parentTree = IntentTree.build(parentLeaves);
  const leaves = capabilities.map((c) => intentHash(c));
  const missing = capabilities.filter((_, i) => !parentTree.contains(leaves[i]!));
  if (missing.length > 0) {
    throw new A1Error('ScopeEscalation', { index, reason: `hop ${index - 1} does not hold ${missing.join(', ')}` });
  }
  const mask = NarrowingMatrix.fromCapabilities(capabilities);
  const builder = new CertBuilder({ delegatePk, scopeRoot: IntentTree.build(leaves).root(), issuedAt: now, expirationUnix: expiration })
    .scopeProof(SubScopeProof.build(parentTree, leaves))
    .extensions({ [EXT.version]: 1, [EXT.namespace]: passport.namespace, [EXT.mask]: mask.toHex() });
  if (request.maxDepth !== undefined) builder.maxDepth(request.maxDepth);
  const cert = await builder.buildAsync(signer);
  const extended: SignedChain = { ...chain, certs: [...chain.certs, cert] };
  return { chain: extended, cert };
}
