import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  authorize,
  CertBuilder,
  createChain,
  intentHash,
  IntentTree,
  LocalSigner,
  NarrowingMatrix,
  parseSignedChain,
  serializeSignedChain,
  SubScopeProof,
  type DelegationCert,
  type SignedChain,
} from '../src/index.js';

const T0 = 1_700_000_000n;
const CAPS = ['trade.equity', 'trade.fx', 'portfolio.read', 'portfolio.write', 'audit.read', 'audit.write', 'ops.deploy', 'ops.rollback'];
const keys = Array.from({ length: 6 }, (_, i) => LocalSigner.fromSeed(new Uint8Array(32).fill(i + 1)));

/** A chain of `hops` certs, each narrowing its parent's capability set to a non-empty subset. */
function buildChain(hops: number, picks: number[][], ttls: number[]): { chain: SignedChain; agent: LocalSigner; intent: Uint8Array } {
  let caps = CAPS;
  const rootTree = IntentTree.build(caps.map((c) => intentHash(c)));
  const chain = createChain(keys[0]!.verifyingKey(), rootTree.root());
  let parentTree = rootTree;
  let expiry = T0 + 100_000n;
  for (let i = 0; i < hops; i++) {
    const pick = picks[i]!.map((n) => caps[n % caps.length]!);
    const childCaps = [...new Set(pick)];
    const leaves = childCaps.map((c) => intentHash(c));
    const childTree = IntentTree.build(leaves);
    expiry = expiry - BigInt(ttls[i]!);
    const cert = new CertBuilder({ delegatePk: keys[i + 1]!.verifyingKey(), scopeRoot: childTree.root(), issuedAt: T0, expirationUnix: expiry })
      .scopeProof(SubScopeProof.build(parentTree, leaves))
      .extensions({ 'acme.hop': `hop-${i}`, 'acme.limits': [String(i)] })
      .build(keys[i]!);
    chain.certs.push(cert);
    caps = childCaps;
    parentTree = childTree;
  }
  return { chain, agent: keys[hops]!, intent: intentHash(caps[0]!) };
}

const chainArb = fc
  .integer({ min: 1, max: 5 })
  .chain((hops) =>
    fc.record({
      hops: fc.constant(hops),
      picks: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { minLength: hops, maxLength: hops }),
      ttls: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: hops, maxLength: hops }),
    }),
  );

function proofFor(chain: SignedChain, intent: Uint8Array) {
  const last = chain.certs[chain.certs.length - 1]!;
  const tree = IntentTree.build(last.scopeProof.subsetIntents);
  return tree.prove(intent);
}

describe('properties', () => {
  it('random chains built by the builder verify, and survive a JSON round trip', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, async ({ hops, picks, ttls }) => {
        const { chain, agent, intent } = buildChain(hops, picks, ttls);
        const opts = { agentPk: agent.verifyingKey(), intent, proof: proofFor(chain, intent), now: T0 };
        const receipt = await authorize(chain, opts);
        expect(receipt.chainDepth).toBe(hops);
        const again = parseSignedChain(serializeSignedChain(chain));
        expect((await authorize(again, opts)).chainFingerprint).toEqual(receipt.chainFingerprint);
      }),
      { numRuns: 40 },
    );
  });

  type Flip = (cert: DelegationCert, bit: number) => void;
  const flipIn = (bytes: Uint8Array, bit: number) => {
    bytes[(bit >> 3) % bytes.length]! ^= 1 << (bit & 7);
  };
  const flips: Record<string, Flip> = {
    version: (c, b) => (c.version ^= 1 << (b & 7)),
    delegatorPk: (c, b) => flipIn(c.delegatorPk, b),
    delegatePk: (c, b) => flipIn(c.delegatePk, b),
    scopeRoot: (c, b) => flipIn(c.scopeRoot, b),
    scopeProofIntent: (c, b) => c.scopeProof.subsetIntents[0] && flipIn(c.scopeProof.subsetIntents[0], b),
    scopeProofSibling: (c, b) => c.scopeProof.proofs[0]?.siblings[0] && flipIn(c.scopeProof.proofs[0].siblings[0].hash, b),
    scopeProofSide: (c) => c.scopeProof.proofs[0]?.siblings[0] && (c.scopeProof.proofs[0].siblings[0].isLeft = !c.scopeProof.proofs[0].siblings[0].isLeft),
    nonce: (c, b) => flipIn(c.nonce, b),
    issuedAt: (c, b) => (c.issuedAt ^= 1n << BigInt(b % 64)),
    expirationUnix: (c, b) => (c.expirationUnix ^= 1n << BigInt(b % 64)),
    maxDepth: (c, b) => (c.maxDepth ^= 1 << (b & 7)),
    signature: (c, b) => flipIn(c.signature, b),
    extensions: (c, b) => {
      const v = c.extensions.get('acme.hop')!;
      const chars = [...(v.value as string)];
      chars[b % chars.length] = String.fromCharCode(chars[b % chars.length]!.charCodeAt(0) ^ (1 << (b % 7)));
      c.extensions.set('acme.hop', chars.join(''));
    },
  };

  it('any single-bit flip in any signed field or the signature is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(chainArb, fc.constantFrom(...Object.keys(flips)), fc.nat(), fc.nat(), async ({ hops, picks, ttls }, field, hop, bit) => {
        const { chain, agent, intent } = buildChain(hops, picks, ttls);
        const proof = proofFor(chain, intent);
        const target = chain.certs[hop % hops]!;
        const before = serializeSignedChain(chain);
        flips[field]!(target, bit);
        fc.pre(serializeSignedChain(chain) !== before); // the field exists in this cert
        await expect(authorize(chain, { agentPk: agent.verifyingKey(), intent, proof, now: T0 })).rejects.toBeInstanceOf(A1Error);
      }),
      { numRuns: 300 },
    );
  });

  it('narrowing: subset is reflexive and transitive; intersect is a subset of both', () => {
    const mask = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => NarrowingMatrix.fromBytes(b));
    const caps = fc.array(fc.string(), { maxLength: 12 }).map((n) => NarrowingMatrix.fromCapabilities(n));
    const matrix = fc.oneof(mask, caps);
    fc.assert(
      fc.property(matrix, matrix, matrix, (a, b, c) => {
        expect(a.isSubsetOf(a)).toBe(true);
        const ab = a.intersect(b);
        expect(ab.isSubsetOf(a) && ab.isSubsetOf(b)).toBe(true);
        const abc = ab.intersect(c);
        if (abc.isSubsetOf(ab) && ab.isSubsetOf(a)) expect(abc.isSubsetOf(a)).toBe(true);
        if (a.isSubsetOf(b) && b.isSubsetOf(c)) expect(a.isSubsetOf(c)).toBe(true);
        expect(NarrowingMatrix.fromHex(a.toHex()).equals(a)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('capability-derived masks: a subset of names gives a subset mask', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 20 }), fc.array(fc.boolean(), { maxLength: 20 }), (names, keep) => {
        const child = names.filter((_, i) => keep[i]);
        expect(NarrowingMatrix.fromCapabilities(child).isSubsetOf(NarrowingMatrix.fromCapabilities(names))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('stores fail closed', () => {
  it('a throwing store becomes StorageFailure, keeps the cause, hides URL passwords, consumes nothing', async () => {
    const { chain, agent, intent } = buildChain(1, [[0]], [0]);
    const boom = new Error('connect ECONNREFUSED redis://default:s3cret-pass@10.0.0.1:6379');
    const nonces = { tryConsumeBatch: () => Promise.reject(boom), isConsumed: () => false, markConsumed: () => undefined };
    const err = await authorize(chain, { agentPk: agent.verifyingKey(), intent, proof: proofFor(chain, intent), now: T0, nonces }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(A1Error);
    expect((err as A1Error).code).toBe('StorageFailure');
    expect((err as A1Error).transient).toBe(true);
    expect((err as A1Error).cause).toBe(boom);
    expect((err as A1Error).message).not.toContain('s3cret-pass');
    expect((err as A1Error).message).toContain('redis://***@10.0.0.1:6379');
  });
});
