/**
 * AWS KMS's retry defaults and policy; the loop itself (full jitter, total deadline, AbortSignal)
 * is `@a1/core/retry`.
 *
 * Why here and not in the SDK: the client the signer builds makes one attempt per call
 * (`maxAttempts: 1`), so retries never multiply (SDK attempts × ours). The SDK's standard mode
 * cannot do what a signer needs: it has no total deadline (KMS quotas are per second, a throttle
 * window outlasts its ~3 quick attempts), it classifies `LimitExceededException` (a resource
 * quota, which waiting does not cure) as throttling and retries it, and it cannot retry a key
 * that is still being created or updated (`KMSInvalidStateException`). KMS sends no Retry-After,
 * so the backoff is ours alone (the policy has no `hintMs`).
 */
import type { SignerError } from '@a1/core';
import type { RetryOptions as CoreRetryOptions, RetryPolicy } from '@a1/core/retry';

export { withRetries } from '@a1/core/retry';

/**
 * Retry settings. Defaults: `maxAttempts` 10 (1 disables retries), `baseDelayMs` 100,
 * `maxDelayMs` 2000, `deadlineMs` 15 000 (long enough to ride out a short throttle window in
 * interactive use).
 */
export type RetryOptions = CoreRetryOptions;

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2_000, deadlineMs: 15_000 };

/** Every retryable error except a timeout (a hang is not multiplied) is retried here. */
export const RETRY_POLICY: RetryPolicy = {
  shouldRetry: (err: SignerError) => err.retryable && err.code !== 'Timeout',
};
