/**
 * Small-order keys never carry authority: the keyless forged hop (a delegate key under which a
 * constant signature verifies, then a hop appended without any key) is refused by `authorize` on
 * every backend and by the parser; CertBuilder refuses such a delegate and a signer reporting such
 * a key; LocalSigner refuses a backend that derives one.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  authorize,
  CertBuilder,
  CERT_VERSION,
  CertExtensions,
  intentHash,
  issuePassport,
  LocalSigner,
  nobleBackend,
  nodeBackend,
  parseSignedChain,
  serializeSignedChain,
  SignerError,
  signableBytes,
  SubScopeProof,
  useEd25519Backend,
  webCryptoBackend,
  type DelegationCert,
  type Ed25519Backend,
  type Signer,
  type UnsignedCert,
} from '../src/index.js';
import { hex } from './helpers.js';
import { nodeBackend as bareNodeBackend } from '../src/ed25519-node.js';

const now = 1_700_000_000n;
const ZERO_KEY = new Uint8Array(32); // y = 0: a point of order 4
const IDENTITY = hex('01'.padEnd(64, '0'));
const root = LocalSigner.fromSeed(new Uint8Array(32).fill(1));
const attacker = LocalSigner.fromSeed(new Uint8Array(32).fill(66));
const scope = intentHash('trade.equity');

function unsigned(delegatorPk: Uint8Array, delegatePk: Uint8Array, nonce: Uint8Array): UnsignedCert {
  return {
    version: CERT_VERSION,
    delegatorPk,
    delegatePk,
    scopeRoot: scope,
    scopeProof: SubScopeProof.passthrough(),
    nonce,
    issuedAt: now,
    expirationUnix: now + 600n,
    maxDepth: 16,
    extensions: new CertExtensions(),
  };
}

/** k = SHA-512(R ‖ A ‖ M) mod 4: under the order-4 key 00…00, R = identity and S = 0 verify when it is 0. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const kMod4 = (A: Uint8Array, message: Uint8Array) => {
  const digest = sha512.create().update(IDENTITY).update(A).update(message).digest();
  return (BigInt('0x' + Buffer.from(digest).reverse().toString('hex')) % L) % 4n;
};

/** The attack: the root delegates to a small-order key (as an older build let it), then anyone appends a hop. */
function forgedChain(smallKey: Uint8Array) {
  const hop1 = unsigned(root.verifyingKey(), smallKey, new Uint8Array(16).fill(1));
  const cert1: DelegationCert = { ...hop1, signature: root.signMessage(signableBytes(hop1)) };
  // Grind the nonce until the constant signature (R = identity, S = 0) satisfies the cofactorless equation.
  let hop2: UnsignedCert;
  let n = 0;
  do hop2 = unsigned(smallKey, attacker.verifyingKey(), new Uint8Array(16).fill(++n + 1));
  while (kMod4(smallKey, signableBytes(hop2)) !== 0n);
  const cert2: DelegationCert = { ...hop2, signature: new Uint8Array(64).fill(0).fill(1, 0, 1) };
  return { principalPk: root.verifyingKey(), principalScope: scope, certs: [cert1, cert2] };
}

const backends: Ed25519Backend[] = [nobleBackend, nodeBackend!, webCryptoBackend!];

describe('the keyless forged hop', () => {
  for (const [label, smallKey] of [['00…00', ZERO_KEY], ['the identity 01 00…00', IDENTITY]] as const) {
    it(`delegate ${label}: the bare equation accepts the constant signature (what the attack relied on); the exported one refuses it`, () => {
      const cert2 = forgedChain(smallKey).certs[1]!;
      expect(bareNodeBackend!.verify(cert2.delegatorPk, signableBytes(cert2), cert2.signature)).toBe(true);
      // The exported backend applies core's rule itself (backends-direct.test.ts).
      expect(nodeBackend!.verify(cert2.delegatorPk, signableBytes(cert2), cert2.signature)).toBe(false);
    });

    for (const backend of backends) {
      it(`delegate ${label}: authorize says InvalidSignature at hop 1 (${backend.name}, per call and process-wide)`, async () => {
        const options = { agentPk: attacker.verifyingKey(), intent: scope, now, ed25519Backend: backend };
        await expect(authorize(forgedChain(smallKey), options)).rejects.toMatchObject({ code: 'InvalidSignature', details: { index: 1 } });
        useEd25519Backend(backend);
        try {
          await expect(authorize(forgedChain(smallKey), { ...options, ed25519Backend: undefined })).rejects.toMatchObject({ code: 'InvalidSignature' });
        } finally {
          useEd25519Backend(undefined);
        }
      });
    }

    it(`delegate ${label}: the chain's JSON is refused at parse time`, () => {
      const json = serializeSignedChain(forgedChain(smallKey));
      expect(() => parseSignedChain(json)).toThrow(/certs\[0\]\.delegate_pk.*small-order/);
    });
  }

  it('a small-order principal is refused at parse time', () => {
    const json = serializeSignedChain({ principalPk: IDENTITY, principalScope: scope, certs: [] });
    expect(() => parseSignedChain(json)).toThrow('invalid principal_pk: a small-order Ed25519 public key');
  });
});

describe('CertBuilder and LocalSigner refuse small-order keys', () => {
  it('CertBuilder refuses a small-order delegate', () => {
    for (const delegatePk of [ZERO_KEY, IDENTITY]) {
      const err = (() => {
        try {
          new CertBuilder({ delegatePk, scopeRoot: scope, issuedAt: now, expirationUnix: now + 60n });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(A1Error);
      expect((err as A1Error).message).toMatch(/delegatePk is a small-order Ed25519 public key/);
    }
  });

  // A compromised or intercepted KMS answer: a small-order key and one constant signature.
  const constantSigner = (key: Uint8Array): Signer & { provider: string } => ({
    provider: 'evil-kms',
    verifyingKey: () => key,
    signMessage: () => Uint8Array.from([1, ...new Array(63).fill(0)]),
  });

  it.each([
    ['00…00', ZERO_KEY],
    ['identity', IDENTITY],
  ])('a signer reporting the small-order key %s with a constant signature is refused (sync, async, passport)', async (_label, key) => {
    const builder = () => new CertBuilder({ delegatePk: attacker.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 60n });
    expect(() => builder().build(constantSigner(key))).toThrow(SignerError);
    expect(() => builder().build(constantSigner(key))).toThrow(/verifying key is a small-order Ed25519 public key/);
    await expect(builder().buildAsync({ ...constantSigner(key), keyId: 'k', verifyingKey: async () => key, signMessage: async () => new Uint8Array(64) })).rejects.toMatchObject({
      code: 'InvalidResponse',
      provider: 'evil-kms',
    });
    expect(() => issuePassport({ namespace: 'n', capabilities: ['a'], ttlSeconds: 60, signer: constantSigner(key), now })).toThrow();
  });

  it('LocalSigner refuses a backend that derives a small-order key', () => {
    useEd25519Backend({ ...nobleBackend, publicKeyOf: () => IDENTITY });
    try {
      expect(() => LocalSigner.fromSeed(new Uint8Array(32).fill(3))).toThrow(/small-order/);
    } finally {
      useEd25519Backend(undefined);
    }
    expect(LocalSigner.fromSeed(new Uint8Array(32).fill(3)).verifyingKey()).toHaveLength(32);
  });
});
