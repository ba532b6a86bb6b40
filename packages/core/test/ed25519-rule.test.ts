/**
 * One Ed25519 rule on every backend: the crafted table (fixtures/ed25519-crafted.ts, verdicts from
 * libsodium) gives the expected verdict on node:crypto, @noble, WebCrypto and libsodium alike, and
 * random signatures and mutations give the same verdict on all of them.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  isValidPublicKey,
  publicKeyProblem,
  verifyEd25519,
  verifyEd25519Async,
  webCryptoBackend,
} from '../src/index.js';
import { craftedMismatches, ED25519_CRAFTED } from './fixtures/ed25519-crafted.js';
import { allBackends, hex } from './helpers.js';
import { nodeBackend as bareNodeBackend } from '../src/ed25519-node.js';

const backends = allBackends();
const verdictsOf = (verify: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean) =>
  ED25519_CRAFTED.map((c) => verify(hex(c.publicKey), hex(c.message), hex(c.signature)));

describe('the crafted Ed25519 table', () => {
  it('has at least 500 cases, honest and crafted, every small-order encoding as A and as R', () => {
    expect(ED25519_CRAFTED.length).toBeGreaterThanOrEqual(500);
    expect(ED25519_CRAFTED.filter((c) => c.valid).length).toBeGreaterThanOrEqual(80);
    for (const kind of ['small-order A[13]', 'small-order R[13]', 'mixed-order A', 'non-canonical A', 'non-canonical R', 'S = L', 'honest #0']) {
      expect(ED25519_CRAFTED.some((c) => c.name.includes(kind)), kind).toBe(true);
    }
  });

  it('runs on Node with all four backends, WebCrypto natively', async () => {
    expect(backends.map((b) => b.name)).toEqual(['@noble/curves', 'node:crypto', 'webcrypto', 'libsodium']);
    expect(await (webCryptoBackend as NonNullable<typeof webCryptoBackend>).supported()).toBe(true);
  });

  // The rule is load-bearing: without it, the backends accept crafted cases and disagree.
  it('without core rule, the raw backends disagree with libsodium (what the rule fixes)', () => {
    const rawNode = verdictsOf((pk, m, s) => bareNodeBackend!.verify(pk, m, s));
    const nobleCofactored = verdictsOf((pk, m, s) => {
      try {
        return ed25519.verify(s, m, pk, { zip215: false });
      } catch {
        return false;
      }
    });
    const wrong = (verdicts: boolean[]) => ED25519_CRAFTED.filter((c, i) => verdicts[i] !== c.valid).map((c) => c.name);
    expect(wrong(rawNode).some((n) => n.includes('constant signature'))).toBe(true);
    expect(wrong(nobleCofactored).some((n) => n.includes('mixed-order A'))).toBe(true);
  });

  for (const backend of backends) {
    it(`${backend.name}: verifyEd25519 gives the expected verdict on every case`, async () => {
      const wrong = await craftedMismatches((pk, m, s) => verifyEd25519(pk, m, s, backend));
      expect(wrong.map((c) => c.name)).toEqual([]);
    });
    it(`${backend.name}: verifyEd25519Async gives the expected verdict on every case`, async () => {
      const wrong = await craftedMismatches((pk, m, s) => verifyEd25519Async(pk, m, s, backend));
      expect(wrong.map((c) => c.name)).toEqual([]);
    });
  }
});

describe('random signatures and mutations: identical verdicts on every backend', () => {
  it('300 random cases', async () => {
    const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));
    for (let i = 0; i < 300; i++) {
      const seed = random(32);
      const message = random(i % 40);
      const pk = ed25519.getPublicKey(seed);
      const sig = ed25519.sign(message, seed);
      const mutation = i % 4;
      if (mutation === 1) sig[i % 64] = sig[i % 64]! ^ (1 << (i % 8));
      if (mutation === 2) sig.set(random(64));
      if (mutation === 3) pk[i % 32] = pk[i % 32]! ^ (1 << (i % 8));
      const verdicts = await Promise.all(backends.map((b) => verifyEd25519Async(pk, message, sig, b)));
      expect(new Set([...verdicts, ...backends.map((b) => verifyEd25519(pk, message, sig, b))]).size).toBe(1);
      if (mutation === 0) expect(verdicts[0]).toBe(true);
    }
  });
});

describe('public keys: canonical, on the curve, not of small order', () => {
  const smallOrder = [...new Set(ED25519_CRAFTED.filter((c) => c.name.startsWith('small-order A[')).map((c) => c.publicKey))];

  it('refuses all 14 small-order encodings, canonical or not', () => {
    expect(smallOrder).toHaveLength(14);
    for (const pk of smallOrder) {
      expect(isValidPublicKey(hex(pk)), pk).toBe(false);
      expect(publicKeyProblem(hex(pk)), pk).toBe('a small-order Ed25519 public key');
    }
  });

  it('refuses non-canonical encodings and non-points; accepts honest and mixed-order keys', () => {
    for (const c of ED25519_CRAFTED) {
      if (c.name.startsWith('non-canonical A') || c.name.startsWith('A not a curve point')) expect(isValidPublicKey(hex(c.publicKey)), c.name).toBe(false);
      if (c.name.startsWith('honest #') || c.name.startsWith('mixed-order A')) expect(isValidPublicKey(hex(c.publicKey)), c.name).toBe(true);
    }
    expect(isValidPublicKey(new Uint8Array(31))).toBe(false);
  });
});
