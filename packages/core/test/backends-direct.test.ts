/**
 * The exported backend objects are safe to call directly: their own `verify` / `verifyAsync`
 * apply core's rule, so the identity-key "signature" (R = identity, S = 0, which the bare
 * cofactorless equation accepts for every message) and a small-order key are refused by
 * nodeBackend, nobleBackend, webCryptoBackend (sync and async), makeWebCryptoBackend and
 * libsodiumBackend alike. verifyEd25519 still checks the rule once and calls the bare equation;
 * a spread copy with its own `verify` has that verify called.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  LocalSigner,
  makeWebCryptoBackend,
  nobleBackend,
  nodeBackend,
  verifyEd25519,
  webCryptoBackend,
  type Ed25519Backend,
  type SubtleEd25519,
} from '../src/index.js';
import { libsodiumBackend, type SodiumNative } from '../src/ed25519-libsodium.js';
import { nodeBackend as bareNodeBackend } from '../src/ed25519-node.js';
import { hex } from './helpers.js';

const IDENTITY = hex('01'.padEnd(64, '0'));
const FORGED = Uint8Array.from([1, ...new Array(63).fill(0)]); // R = identity, S = 0
const messages = ['transfer 1,000,000', 'anything', ''].map((m) => new TextEncoder().encode(m));
const honest = LocalSigner.fromSeed(new Uint8Array(32).fill(9));

const sodium = createRequire(import.meta.url)('sodium-native') as SodiumNative;
const backends: Array<[string, Ed25519Backend]> = [
  ['nodeBackend', nodeBackend!],
  ['nobleBackend', nobleBackend],
  ['webCryptoBackend', webCryptoBackend!],
  ['makeWebCryptoBackend(crypto.subtle)', makeWebCryptoBackend(globalThis.crypto.subtle as unknown as SubtleEd25519)],
  ['libsodiumBackend', libsodiumBackend(sodium)],
];

describe('exported backends apply the rule when called directly', () => {
  it('the bare equation accepts the identity-key forgery for every message (what the rule refuses)', () => {
    for (const m of messages) expect(bareNodeBackend!.verify(IDENTITY, m, FORGED)).toBe(true);
  });

  it.each(backends)('%s: verify refuses the identity-key forgery and a small-order key', async (_name, backend) => {
    for (const m of messages) {
      expect(backend.verify(IDENTITY, m, FORGED)).toBe(false);
      expect(backend.verify(new Uint8Array(32), m, FORGED)).toBe(false);
      if (backend.verifyAsync) expect(await backend.verifyAsync(IDENTITY, m, FORGED)).toBe(false);
    }
  });

  it.each(backends)('%s: an honest signature still verifies, sync and async; a tampered one does not', async (_name, backend) => {
    const m = messages[0]!;
    const signature = honest.signMessage(m);
    expect(backend.verify(honest.verifyingKey(), m, signature)).toBe(true);
    if (backend.verifyAsync) expect(await backend.verifyAsync(honest.verifyingKey(), m, signature)).toBe(true);
    expect(backend.verify(honest.verifyingKey(), messages[1]!, signature)).toBe(false);
    expect(verifyEd25519(honest.verifyingKey(), m, signature, backend)).toBe(true);
  });

  it('a spread copy with its own verify has that verify called by verifyEd25519', () => {
    const calls: number[] = [];
    const counting: Ed25519Backend = { ...nobleBackend, verify: (pk, m, s) => (calls.push(1), nobleBackend.verify(pk, m, s)) };
    const m = messages[0]!;
    expect(verifyEd25519(honest.verifyingKey(), m, honest.signMessage(m), counting)).toBe(true);
    expect(calls).toHaveLength(1);
  });
});
