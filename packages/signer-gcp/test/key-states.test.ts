/**
 * Key version states, IAM and API enablement as Cloud KMS answers them (emulator, real client),
 * issued through @a1/core: a version still being generated is waited for; a disabled, scheduled or
 * destroyed one is a clear non-retryable error naming the state; PERMISSION_DENIED covers both
 * "no access" and "no such key"; an API that is off is named as such, not as a disabled key.
 */
import { CertBuilder, intentHash, LocalSigner, SignerError } from '@a1/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, startFixture, type Fixture } from './helpers.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});
beforeEach(() => {
  fx.emulator.faults.clear();
  fx.emulator.access.clear();
});

function certBuilder(): CertBuilder {
  const t = BigInt(Math.floor(Date.now() / 1000));
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: t, expirationUnix: t + 600n });
}

async function failure(promise: Promise<unknown>): Promise<SignerError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(SignerError);
  return err as SignerError;
}

describe('GcpKmsSigner and key version states', () => {
  it('waits for a PENDING_GENERATION version to become ENABLED (transient), then signs', async () => {
    const key = fx.emulator.createKey({ key: 'generating' });
    fx.emulator.setVersionState(key.name, 'PENDING_GENERATION');
    const signer = fx.signer({ name: key.name, retry: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 500, deadlineMs: 30_000 } });
    setTimeout(() => fx.emulator.setVersionState(key.name, 'ENABLED'), 400);
    const cert = await certBuilder().buildAsync(signer);
    expect(cert.signature).toHaveLength(64);
  });

  it('a version that stays PENDING_GENERATION past the deadline is a retryable error naming the state', async () => {
    const key = fx.emulator.createKey({ key: 'still-generating' });
    fx.emulator.setVersionState(key.name, 'PENDING_GENERATION');
    const err = await failure(certBuilder().buildAsync(fx.signer({ name: key.name, retry: { deadlineMs: 800 } })));
    expect(err).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(err.message).toContain('PENDING_GENERATION');
  });

  it.each([
    ['DISABLED', /enable it/],
    ['DESTROY_SCHEDULED', /restore it/],
    ['DESTROYED', /key material is gone/],
  ] as const)('%s: not retried, not retryable, the state named with what to do, no cert', async (state, advice) => {
    const key = fx.emulator.createKey({ key: `state-${state.toLowerCase().replace('_', '-')}` });
    const signer = fx.signer({ name: key.name });
    await signer.verifyingKey();
    fx.emulator.setVersionState(key.name, state);
    fx.emulator.calls.reset();
    const err = await failure(certBuilder().buildAsync(signer));
    expect(err).toMatchObject({ code: 'BackendError', retryable: false });
    expect(err.message).toContain(`current state is: ${state}`);
    expect(err.message).toMatch(advice);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(1);
  });

  it('PERMISSION_DENIED names both causes: no access, or no such key', async () => {
    const key = fx.emulator.createKey({ key: 'forbidden' });
    fx.emulator.access.allowOnly([fx.ed25519.cryptoKeyName]);
    for (const name of [key.name, key.name.replace('/forbidden/', '/no-such-key/')]) {
      const err = await failure(fx.signer({ name }).verifyingKey());
      expect(err).toMatchObject({ code: 'AccessDenied', retryable: false });
      expect(err.message).toContain('or it may not exist');
      expect(err.message).toMatch(/may not use the key, or the key does not exist/);
    }
  });

  it('an API not enabled in the project is named as such, without the "disabled key" hint', async () => {
    const key = fx.emulator.createKey({ project: 'api-off', key: 'k' });
    fx.emulator.access.setApiEnabled('api-off', false);
    const err = await failure(fx.signer({ name: key.name }).verifyingKey());
    expect(err).toMatchObject({ code: 'Misconfigured', retryable: false });
    expect(err.message).toMatch(/Cloud KMS API is not enabled in this project/);
    expect(err.message).toContain('gcloud services enable cloudkms.googleapis.com');
    expect(err.message).not.toMatch(/key version is DISABLED|enable it \(gcloud kms/);
  });
});
