/**
 * Throttling windows: Cloud KMS meters calls per minute, so the signer backs off (with full
 * jitter, honouring RetryInfo when sent) up to a total deadline. A window shorter than the deadline
 * is ridden out; a longer one ends in a retryable Throttled SignerError. Issued through @a1/core,
 * so "no cert" means the builder never returned one.
 */
import { CertBuilder, intentHash, issuePassport, LocalSigner, SignerError, type DelegationCert } from '@a1/core';
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
  fx.emulator.calls.reset();
  fx.emulator.quirks.retryInfoOnThrottle = false;
});

function certBuilder(): CertBuilder {
  const t = BigInt(Math.floor(Date.now() / 1000));
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: t, expirationUnix: t + 600n });
}

describe('GcpKmsSigner under a time-based quota', () => {
  it('rides out a 4-second window by backing off with jitter, and the cert verifies', async () => {
    const signer = fx.signer({ retry: { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 200, deadlineMs: 30_000 } });
    await signer.verifyingKey();
    fx.emulator.faults.quota({ limit: 1, windowMs: 4_000, operation: 'AsymmetricSign' });
    await certBuilder().buildAsync(signer); // uses the window's one call
    const cert: DelegationCert = await certBuilder().buildAsync(signer);
    expect(cert.signature).toHaveLength(64);
    // Several throttled attempts were made before the next window let one through.
    expect(fx.emulator.calls.get('AsymmetricSign')).toBeGreaterThan(2);
  });

  it('waits as long as the RetryInfo hint says instead of hammering the quota', async () => {
    fx.emulator.quirks.retryInfoOnThrottle = true;
    const signer = fx.signer({ retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 50, deadlineMs: 30_000 } });
    await signer.verifyingKey();
    fx.emulator.faults.quota({ limit: 1, windowMs: 2_000, operation: 'AsymmetricSign' });
    await certBuilder().buildAsync(signer);
    const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity'], ttlSeconds: 600, signer });
    expect(passport.cert.signature).toHaveLength(64);
    // With 1-2 ms backoff and no hint this would be hundreds of calls; the hint (whole seconds) keeps it to a few.
    expect(fx.emulator.calls.get('AsymmetricSign')).toBeLessThanOrEqual(5);
  });

  it('a window longer than the deadline ends in a retryable Throttled error naming the quota, no cert', async () => {
    const signer = fx.signer({ retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 1_000, deadlineMs: 1_500 } });
    await signer.verifyingKey();
    fx.emulator.faults.quota({ limit: 0, windowMs: 600_000, operation: 'AsymmetricSign' });
    const err = await rejectionOf(certBuilder().buildAsync(signer));
    expect(err).toBeInstanceOf(SignerError);
    const signerError = err as SignerError;
    expect(signerError.code).toBe('Throttled');
    expect(signerError.retryable).toBe(true);
    expect(signerError.message).toMatch(/RESOURCE_EXHAUSTED/);
    expect(signerError.message).toMatch(/Quota exceeded/);
    expect(signerError.message).toMatch(/retry deadline of 1500 ms/);
  });

  it('a RetryInfo hint past the deadline ends the call at once instead of sleeping through it', async () => {
    fx.emulator.quirks.retryInfoOnThrottle = true;
    const signer = fx.signer({ retry: { deadlineMs: 5_000 } });
    await signer.verifyingKey();
    fx.emulator.faults.quota({ limit: 0, windowMs: 600_000, operation: 'AsymmetricSign' });
    const err = (await rejectionOf(issuePassport({ namespace: 'acme', capabilities: ['trade.equity'], ttlSeconds: 600, signer }))) as SignerError;
    expect(err.code).toBe('Throttled');
    expect(err.message).toMatch(/the service asked to wait \d+ ms, past the retry deadline/);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(1);
  });

  it('stops backing off when the caller aborts', async () => {
    const signer = fx.signer({ retry: { baseDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 1_000, deadlineMs: 60_000 } });
    await signer.verifyingKey();
    fx.emulator.faults.quota({ limit: 0, windowMs: 600_000, operation: 'AsymmetricSign' });
    const controller = new AbortController();
    const pending = rejectionOf(certBuilder().buildAsync(signer, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    const err = (await pending) as SignerError;
    expect(err.code).toBe('Aborted');
    expect(err.retryable).toBe(false);
  });
});
