/** The key, signature and concurrency checks pass a good signer and catch each broken one. */
import { createHash } from 'node:crypto';
import { LocalSigner } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { checkConcurrentSigns, checkPublicKey, checkSignatures } from '../src/index.js';
import { expectCaught } from './support/expect-caught.js';
import { fixture } from './support/fixture.js';

const { backend, signer } = fixture();
const publicKeyFetches = () => backend.calls('GetPublicKey');

describe('checkPublicKey', () => {
  it('passes a signer that fetches its key once and caches it', async () => {
    await checkPublicKey({ create: () => signer(), publicKeyFetches, signCount: 5 });
  });

  it('passes a sync LocalSigner (no counter)', async () => {
    await checkPublicKey({ create: () => LocalSigner.generate(), signCount: 5 });
  });

  it('catches a signer that re-fetches the public key on every call', async () => {
    await expectCaught(
      checkPublicKey({ create: () => signer(['refetches-public-key']), publicKeyFetches, signCount: 5 }),
      /\d+ public-key reads during one signer across 5 signs; expected exactly 1/,
    );
  });

  it('catches a counter that does not count the key in use', async () => {
    await expectCaught(checkPublicKey({ create: () => signer(), publicKeyFetches: () => 7, signCount: 2 }), /did not move/);
  });

  it('catches a public key that is not 32 bytes', async () => {
    await expectCaught(checkPublicKey({ create: () => signer(['short-public-key']), signCount: 2 }), /gave \w+\(31\), expected Uint8Array\(32\)/);
  });

  it('catches signatures made by another key', async () => {
    await expectCaught(checkPublicKey({ create: () => signer(['signs-with-wrong-key']), signCount: 2 }), /signature 1 of 2 does not verify/);
  });

  it('catches a key that changes between calls', async () => {
    const a = LocalSigner.generate();
    const b = LocalSigner.generate();
    let calls = 0;
    const flipping = { verifyingKey: () => (calls++ === 0 ? a : b).verifyingKey(), signMessage: (m: Uint8Array) => a.signMessage(m) };
    await expectCaught(checkPublicKey({ create: () => flipping, signCount: 3 }), /verifyingKey\(\) changed after 1 sign/);
  });
});

describe('checkSignatures', () => {
  it('passes a good signer', async () => {
    await checkSignatures({ create: () => signer(), signCount: 5 });
  });

  it('catches signatures made by another key', async () => {
    await expectCaught(checkSignatures({ create: () => signer(['signs-with-wrong-key']), signCount: 5 }), /does not verify against verifyingKey/);
  });

  it('catches a signature that is not 64 bytes', async () => {
    const local = LocalSigner.generate();
    const short = { verifyingKey: () => local.verifyingKey(), signMessage: (m: Uint8Array) => local.signMessage(m).slice(0, 63) };
    await expectCaught(checkSignatures({ create: () => short, signCount: 1 }), /gave \w+\(63\), expected Uint8Array\(64\)/);
  });

  it('catches an Ed25519ph-style signer (signs a hash of the message)', async () => {
    const local = LocalSigner.generate();
    const prehash = {
      verifyingKey: () => local.verifyingKey(),
      signMessage: (m: Uint8Array) => local.signMessage(new Uint8Array(createHash('sha512').update(m).digest())),
    };
    await expectCaught(checkSignatures({ create: () => prehash, signCount: 1 }), /does not verify/);
  });
});

describe('checkConcurrentSigns', () => {
  it('passes a signer that shares one key fetch across simultaneous first uses', async () => {
    await checkConcurrentSigns({ create: () => signer(), publicKeyFetches, concurrency: 20 });
  });

  it('catches a signer whose simultaneous first uses each fetch the key', async () => {
    await expectCaught(
      checkConcurrentSigns({ create: () => signer(['no-cold-start-dedupe']), publicKeyFetches, concurrency: 20 }),
      /\d+ public-key reads during 20 concurrent first uses of one signer; expected exactly 1/,
    );
  });

  it('needs the counter to see a cold-start stampede (without it the same signer passes)', async () => {
    await checkConcurrentSigns({ create: () => signer(['no-cold-start-dedupe']), concurrency: 20 });
  });

  it('catches a signer that hands one call the signature of another', async () => {
    await expectCaught(
      checkConcurrentSigns({ create: () => signer(['races-signatures']), concurrency: 20 }),
      /of 20 concurrent signatures do not verify against their own message/,
    );
  });

  it('catches signs that reject under load', async () => {
    backend.inject('throttle', { operation: 'Sign', times: 3 });
    try {
      const error = await expectCaught(checkConcurrentSigns({ create: () => signer(), concurrency: 10 }), /3 of 10 concurrent signs rejected/);
      expect(error.cause).toBeDefined();
    } finally {
      backend.clear();
    }
  });
});
