/**
 * The WebCrypto backend: feature-detected once, imported keys cached, and a runtime whose
 * crypto.subtle lacks Ed25519 (older Safari/Firefox, some workers) falls back to @noble with the
 * same verdicts. The runtime without Ed25519 is Node's real subtle with the algorithm refused.
 */
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalSigner, makeWebCryptoBackend, verifyEd25519Async, type SubtleEd25519 } from '../src/index.js';
import { craftedMismatches } from './fixtures/ed25519-crafted.js';

const subtle = webcrypto.subtle as unknown as SubtleEd25519;

/** Node's subtle, counting calls, optionally refusing Ed25519 the way a runtime without it does. */
function observed(withoutEd25519: boolean) {
  const calls = { importKey: 0, verify: 0 };
  const wrapped: SubtleEd25519 = {
    importKey(format, keyData, algorithm, extractable, usages) {
      calls.importKey++;
      if (withoutEd25519) return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
      return subtle.importKey(format, keyData, algorithm, extractable, usages);
    },
    verify(algorithm, key, signature, data) {
      calls.verify++;
      return subtle.verify(algorithm, key, signature, data);
    },
  };
  return { backend: makeWebCryptoBackend(wrapped), calls };
}

const signer = LocalSigner.fromSeed(new Uint8Array(32).fill(41));
const message = new Uint8Array([1, 2, 3]);
const signature = signer.signMessage(message);

describe('WebCrypto backend', () => {
  it('detects support once and caches imported keys', async () => {
    const { backend, calls } = observed(false);
    for (let i = 0; i < 5; i++) expect(await verifyEd25519Async(signer.verifyingKey(), message, signature, backend)).toBe(true);
    expect(await backend.supported()).toBe(true);
    expect(calls.importKey).toBe(2); // the probe, then the signer's key once
    expect(calls.verify).toBe(6); // the probe, then five verifications
  });

  it('falls back to @noble where subtle has no Ed25519, with identical verdicts on the crafted table', async () => {
    const { backend, calls } = observed(true);
    expect(await backend.supported()).toBe(false);
    expect(await verifyEd25519Async(signer.verifyingKey(), message, signature, backend)).toBe(true);
    expect(await craftedMismatches((pk, m, s) => verifyEd25519Async(pk, m, s, backend))).toEqual([]);
    expect(calls.importKey).toBe(1); // only the probe: detected once
  });
});
