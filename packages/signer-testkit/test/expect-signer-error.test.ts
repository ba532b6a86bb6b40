import { LocalSigner, SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { ConformanceError, expectSignerError, randomMessage, toAsyncSigner } from '../src/index.js';

const throttled = () =>
  new SignerError({ provider: 'aws-kms', keyId: 'alias/root', code: 'Throttled', message: 'slow down', cause: new Error('429') });

describe('expectSignerError', () => {
  it('returns the matching error', async () => {
    const error = await expectSignerError(Promise.reject(throttled()), {
      code: ['Throttled', 'Unavailable'],
      retryable: true,
      provider: 'aws-kms',
      keyId: 'alias/root',
      messageIncludes: 'alias/root',
      cause: true,
    });
    expect(error.code).toBe('Throttled');
  });

  it('fails when the promise resolves', async () => {
    await expect(expectSignerError(Promise.resolve(new Uint8Array(64)))).rejects.toThrow(/resolved with Uint8Array\(64\)/);
  });

  it('fails on the wrong class, code, retryable or cause, without quoting the error text', async () => {
    const plain = expectSignerError(Promise.reject(new Error('token=tok-abcdef')));
    await expect(plain).rejects.toThrow(ConformanceError);
    await expect(expectSignerError(Promise.reject(new Error('token=tok-abcdef')))).rejects.not.toThrow(/tok-abcdef/);
    await expect(expectSignerError(Promise.reject(throttled()), { code: 'Timeout' })).rejects.toThrow(/expected code Timeout, got Throttled/);
    await expect(expectSignerError(Promise.reject(throttled()), { retryable: false })).rejects.toThrow(/expected retryable false/);
    await expect(expectSignerError(Promise.reject(throttled()), { cause: false })).rejects.toThrow(/expected no cause/);
  });
});

describe('randomMessage', () => {
  it('gives fresh bytes of the asked length', () => {
    expect(randomMessage()).toHaveLength(32);
    expect(randomMessage(7)).toHaveLength(7);
    expect(randomMessage()).not.toEqual(randomMessage());
  });
});

describe('toAsyncSigner', () => {
  it('adapts a sync Signer, keeping its provider, and withholds a signature when aborted', async () => {
    const local = LocalSigner.generate();
    const signer = toAsyncSigner(local);
    expect(await signer.verifyingKey()).toEqual(local.verifyingKey());
    const message = randomMessage();
    expect(await signer.signMessage(message)).toEqual(local.signMessage(message));
    const error = await expectSignerError(signer.signMessage(message, { signal: AbortSignal.abort() }), { code: 'Aborted', retryable: false });
    expect(error.provider).toBe(signer.provider);
  });
});
