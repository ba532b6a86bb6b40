/**
 * Throttling windows: KMS meters requests per second and sends no Retry-After, so the signer
 * backs off with full jitter up to a total deadline (the SDK client makes one attempt per call,
 * so retries never multiply). A short window is ridden out; a longer one ends in a retryable
 * Throttled SignerError; a LimitExceededException is not retried at all. Issued through
 * @a1/core, so "no cert" means the builder never returned one.
 */
import { CertBuilder, intentHash, issuePassport, LocalSigner, SignerError } from '@a1/core';
import { startAwsKms, type AwsKmsEmulator } from '@a1/emulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsKmsSigner, type AwsKmsSignerOptions } from '../src/index.js';

let kms: AwsKmsEmulator;
const opened: AwsKmsSigner[] = [];

function signer(overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
  const s = new AwsKmsSigner({ keyId: 'alias/a1-root', ...kms.clientConfig(), clientConfig: { credentials: kms.clientConfig().credentials }, ...overrides });
  opened.push(s);
  return s;
}

function certBuilder(): CertBuilder {
  const t = BigInt(Math.floor(Date.now() / 1000));
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: t, expirationUnix: t + 600n });
}

async function rejectionOf(promise: Promise<unknown>): Promise<SignerError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    return err as SignerError;
  }
  throw new Error('expected no cert, got one');
}

beforeAll(async () => {
  kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }] });
});
afterEach(async () => {
  kms.faults.clear();
  kms.calls.reset();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await kms?.close();
});

describe('AwsKmsSigner under a time-based quota', () => {
  it('rides out a 4-second window within the retry deadline, and the cert verifies', async () => {
    const s = signer({ retry: { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 200, deadlineMs: 30_000 } });
    await s.verifyingKey();
    kms.faults.quota({ limit: 1, windowMs: 4_000, operation: 'Sign' });
    await certBuilder().buildAsync(s); // uses the window's one call
    const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity'], ttlSeconds: 600, signer: s });
    expect(passport.cert.signature).toHaveLength(64);
    expect(kms.calls.get('Sign')).toBeGreaterThan(2);
  });

  it('a window longer than the deadline ends in a retryable Throttled error naming the throttle, no cert', async () => {
    const s = signer({ retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 1_000, deadlineMs: 1_500 } });
    await s.verifyingKey();
    kms.faults.quota({ limit: 0, windowMs: 600_000, operation: 'Sign' });
    const err = await rejectionOf(certBuilder().buildAsync(s));
    expect(err).toMatchObject({ code: 'Throttled', retryable: true, provider: 'aws-kms' });
    expect(err.message).toContain('ThrottlingException');
    expect(err.message).toContain('retry deadline of 1500 ms');
    expect((err.cause as Error).name).toBe('ThrottlingException');
  });

  it('makes exactly one HTTP request per attempt: SDK retries and ours do not multiply', async () => {
    const s = signer({ maxAttempts: 4, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    await s.verifyingKey();
    kms.faults.quota({ limit: 0, windowMs: 600_000, operation: 'Sign' });
    const err = await rejectionOf(s.signMessage(new Uint8Array(32)));
    expect(err.code).toBe('Throttled');
    expect(err.message).toContain('gave up after 4 attempts');
    expect(kms.calls.get('Sign')).toBe(4);
  });

  it('LimitExceededException is a resource quota: not retried, not retryable, no cert', async () => {
    const s = signer({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'limit-exceeded' }, operation: 'Sign' });
    const err = await rejectionOf(certBuilder().buildAsync(s));
    expect(err).toMatchObject({ code: 'BackendError', retryable: false });
    expect(err.message).toMatch(/resource quota/);
    expect(kms.calls.get('Sign')).toBe(1);
  });

  it('stops backing off when the caller aborts', async () => {
    const s = signer({ retry: { baseDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 1_000, deadlineMs: 60_000 } });
    await s.verifyingKey();
    kms.faults.quota({ limit: 0, windowMs: 600_000, operation: 'Sign' });
    const controller = new AbortController();
    const pending = rejectionOf(certBuilder().buildAsync(s, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    expect(await pending).toMatchObject({ code: 'Aborted', retryable: false });
  });
});
