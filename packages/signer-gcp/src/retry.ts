/**
 * Cloud KMS's retry defaults and policy; the loop itself (full jitter, total deadline,
 * AbortSignal, server hints) is `@a1/core/retry`. The signer retries there instead of in the
 * client because google-gax's Cloud KMS defaults retry UNAVAILABLE and DEADLINE_EXCEEDED but not
 * RESOURCE_EXHAUSTED, would multiply a hang by its retries, and cannot see a checksum mismatch
 * (which is not a gRPC status).
 *
 * Quotas are metered per window (Cloud KMS: per minute), so short retries alone lose to a
 * throttle: the deadline (default 15 s, sized for interactive use) lets a caller ride out a
 * short window, and a server hint (google.rpc.RetryInfo) is honoured when the service sends one.
 * A hint that lands past the deadline ends the call at once instead of sleeping in vain.
 */
import { SignerError } from '@a1/core';
import type { RetryOptions as CoreRetryOptions, RetryPolicy } from '@a1/core/retry';
import { PROVIDER, serverRetryDelayMs } from './errors.js';

export { withRetries } from '@a1/core/retry';

/**
 * Retry settings. Defaults: `maxAttempts` 10 (1 disables retries), `baseDelayMs` 100,
 * `maxDelayMs` 2000 (any backoff without a server hint), `deadlineMs` 15 000 (long enough to ride
 * out a short throttle window in interactive use).
 */
export type RetryOptions = CoreRetryOptions;

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2_000, deadlineMs: 15_000 };

/** Every retryable error except a timeout (a hang is not multiplied); RetryInfo delays are honoured. */
export const RETRY_POLICY: RetryPolicy = {
  shouldRetry: (err) => err.retryable && err.code !== 'Timeout',
  hintMs: serverRetryDelayMs,
};

export function aborted(keyId: string, signal: AbortSignal | undefined): SignerError {
  return new SignerError({
    provider: PROVIDER,
    keyId,
    code: 'Aborted',
    retryable: false,
    message: 'the caller aborted the call',
    cause: signal?.reason,
  });
}
