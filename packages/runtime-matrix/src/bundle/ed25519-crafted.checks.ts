/**
 * Core's crafted Ed25519 table (libsodium's verdicts) on every backend this runtime has, through
 * the synchronous and the asynchronous verify: one rule, the same verdicts everywhere.
 */
import { describe, expect, it } from 'vitest';
import { ed25519Backend, nobleBackend, nodeBackend, verifyEd25519, verifyEd25519Async, webCryptoBackend, type Ed25519Backend } from '@a1/core';
import { craftedMismatches, ED25519_CRAFTED } from '../../../core/test/fixtures/ed25519-crafted.js';

const backends: Ed25519Backend[] = [nobleBackend, ...(nodeBackend ? [nodeBackend] : []), ...(webCryptoBackend ? [webCryptoBackend] : [])];

describe('the crafted Ed25519 table', () => {
  it(`has its ${ED25519_CRAFTED.length} cases, honest ones among them`, () => {
    expect(ED25519_CRAFTED.length).toBeGreaterThanOrEqual(500);
    expect(ED25519_CRAFTED.some((c) => c.valid)).toBe(true);
  });

  // Browsers, Deno and Bun all have Ed25519 in crypto.subtle now; a silent fallback to @noble
  // would hide the speed this backend exists for.
  it('WebCrypto is present and verifies Ed25519 natively', async () => {
    expect(webCryptoBackend).toBeDefined();
    expect(await webCryptoBackend!.supported()).toBe(true);
  });

  it(`the default backend is a native one (${ed25519Backend().name})`, () => {
    expect(['node:crypto', 'webcrypto']).toContain(ed25519Backend().name);
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
