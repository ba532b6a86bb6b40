/**
 * `@a1/core/retry`, the loop the KMS signers share: outcomes and messages only (no durations),
 * with delays small enough that a loaded machine still finishes quickly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SignerError } from '../src/index.js';
import { withRetries, type RetryOptions, type RetryPolicy } from '../src/retry.js';

const FAST: Required<RetryOptions> = { maxAttempts: 1000, baseDelayMs: 1, maxDelayMs: 2, deadlineMs: 60_000 };
const RETRY_RETRYABLE: RetryPolicy = { shouldRetry: (err) => err.retryable };

const throttled = (): SignerError =>
  new SignerError({ provider: 'test', keyId: 'k', code: 'Throttled', retryable: true, message: 'too many requests', cause: 'the cause' });
const abortedError = (): SignerError => new SignerError({ provider: 'test', keyId: 'k', code: 'Aborted', retryable: false, message: 'the caller aborted the call' });

/** An attempt that fails with `fail()` for its first `failures` calls, then answers 'ok'. */
function flaky(failures: number, fail: () => unknown = throttled) {
  const calls: number[] = [];
  const attempt = async (remainingMs: number): Promise<string> => {
    calls.push(remainingMs);
    if (calls.length <= failures) throw fail();
    return 'ok';
  };
  return { attempt, calls };
}

describe('withRetries', () => {
  it('retries a retryable error until an attempt succeeds, giving each the time left', async () => {
    const { attempt, calls } = flaky(3);
    await expect(withRetries(attempt, RETRY_RETRYABLE, FAST, undefined, abortedError)).resolves.toBe('ok');
    expect(calls).toHaveLength(4);
    for (const remaining of calls) expect(remaining).toBeGreaterThan(0);
  });

  it('gives up after maxAttempts with the last error, its message saying so', async () => {
    const { attempt, calls } = flaky(Infinity);
    const err = await withRetries(attempt, RETRY_RETRYABLE, { ...FAST, maxAttempts: 3 }, undefined, abortedError).catch((e: unknown) => e);
    expect(calls).toHaveLength(3);
    expect(err).toBeInstanceOf(SignerError);
    expect(err).toMatchObject({ provider: 'test', keyId: 'k', code: 'Throttled', retryable: true, cause: 'the cause' });
    expect((err as Error).message).toBe('test key k: too many requests; gave up after 3 attempts');
  });

  it('with maxAttempts 1 throws the error itself', async () => {
    const failure = throttled();
    const err = await withRetries(() => Promise.reject(failure), RETRY_RETRYABLE, { ...FAST, maxAttempts: 1 }, undefined, abortedError).catch((e: unknown) => e);
    expect(err).toBe(failure);
  });

  it('stops at the deadline, naming it', async () => {
    // 300 ms leaves no room for another attempt (each needs 250 ms), so the first failure ends it.
    const { attempt, calls } = flaky(Infinity);
    const err = await withRetries(attempt, RETRY_RETRYABLE, { ...FAST, deadlineMs: 300 }, undefined, abortedError).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignerError);
    expect((err as SignerError).code).toBe('Throttled');
    expect((err as Error).message).toMatch(/^test key k: too many requests; gave up after \d+ attempts in \d+ ms: reached the retry deadline of 300 ms \(retry\.deadlineMs\)$/);
    expect(calls.length).toBeGreaterThanOrEqual(1);
  });

  it('ends at once when the server hint lands past the deadline', async () => {
    const { attempt, calls } = flaky(Infinity);
    const policy: RetryPolicy = { shouldRetry: () => true, hintMs: () => 120_000 };
    const err = await withRetries(attempt, policy, FAST, undefined, abortedError).catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect((err as Error).message).toMatch(
      /^test key k: too many requests; gave up after 1 attempts in \d+ ms: the service asked to wait 120000 ms, past the retry deadline of 60000 ms \(retry\.deadlineMs\)$/,
    );
  });

  it('waits a server hint inside the deadline, then tries again', async () => {
    const { attempt, calls } = flaky(1);
    const policy: RetryPolicy = { shouldRetry: () => true, hintMs: () => 5 };
    await expect(withRetries(attempt, policy, FAST, undefined, abortedError)).resolves.toBe('ok');
    expect(calls).toHaveLength(2);
  });

  it('passes through an error the policy does not retry, and any error that is not a SignerError', async () => {
    const denied = new SignerError({ provider: 'test', keyId: 'k', code: 'AccessDenied', message: 'no' });
    const refused = flaky(Infinity, () => denied);
    await expect(withRetries(refused.attempt, RETRY_RETRYABLE, FAST, undefined, abortedError)).rejects.toBe(denied);
    expect(refused.calls).toHaveLength(1);

    const bug = new TypeError('not a signer error');
    const broken = flaky(Infinity, () => bug);
    await expect(withRetries(broken.attempt, { shouldRetry: () => true }, FAST, undefined, abortedError)).rejects.toBe(bug);
    expect(broken.calls).toHaveLength(1);
  });

  it('rejects with the abort error when the signal fires during a backoff', async () => {
    const controller = new AbortController();
    const { attempt, calls } = flaky(Infinity);
    // A backoff of up to 30 s: only the abort can end it within the test's timeout.
    const slow = { ...FAST, baseDelayMs: 30_000, maxDelayMs: 30_000 };
    const result = withRetries(attempt, { shouldRetry: () => true, hintMs: () => 20_000 }, slow, controller.signal, abortedError).catch((e: unknown) => e);
    while (calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(new Error('user cancelled'));
    const err = await result;
    expect(err).toBeInstanceOf(SignerError);
    expect((err as SignerError).code).toBe('Aborted');
    expect(calls).toHaveLength(1);
  });

  it('does not start another attempt once the signal has fired', async () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const attempt = async (remainingMs: number): Promise<string> => {
      calls.push(remainingMs);
      controller.abort();
      throw throttled();
    };
    const err = await withRetries(attempt, RETRY_RETRYABLE, FAST, controller.signal, abortedError).catch((e: unknown) => e);
    expect((err as SignerError).code).toBe('Aborted');
    expect(calls).toHaveLength(1);
  });
});

describe('the @a1/core/retry entry', () => {
  const dist = (file: string) => readFileSync(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)), 'utf8');
  for (const file of ['retry.js', 'retry.cjs']) {
    it(`dist/${file} takes SignerError from @a1/core (one class for instanceof) and imports nothing else`, () => {
      const code = dist(file);
      const mods = [...code.matchAll(/\bfrom\s*["']([^"']+)["']|\brequire\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
      expect(mods).toEqual(['@a1/core']);
      expect(code).not.toMatch(/class SignerError/);
    });
  }
});
