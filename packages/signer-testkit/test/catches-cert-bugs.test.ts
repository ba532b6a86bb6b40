/** The cert and passport checks pass a good signer and catch one whose signatures are wrong. */
import { LocalSigner } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { checkCertAuthorizes, checkPassportChain } from '../src/index.js';
import { expectCaught } from './support/expect-caught.js';
import { fixture } from './support/fixture.js';

const { signer } = fixture();

describe('checkCertAuthorizes', () => {
  it('passes certs from a good async signer and from a sync LocalSigner', async () => {
    await checkCertAuthorizes({ create: () => signer() });
    await checkCertAuthorizes({ create: () => LocalSigner.generate() });
  });

  it('catches a signer whose signatures are made by another key', async () => {
    const error = await expectCaught(checkCertAuthorizes({ create: () => signer(['signs-with-wrong-key']) }), /CertBuilder\.buildAsync failed with SignerError SignatureMismatch/);
    expect(error.cause).toBeDefined();
  });
});

describe('checkPassportChain', () => {
  it('passes a passport and sub-cert from a good signer', async () => {
    await checkPassportChain({ create: () => signer() });
  });

  it('catches a signer whose signatures are made by another key', async () => {
    await expectCaught(checkPassportChain({ create: () => signer(['signs-with-wrong-key']) }), /issuePassport failed with SignerError SignatureMismatch/);
  });
});
