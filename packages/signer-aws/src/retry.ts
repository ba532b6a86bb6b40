/**
 * Retries with exponential backoff and full jitter, bounded by a total deadline and the caller's
 * AbortSignal.
 *
 * Why here and not in the SDK: the client the signer builds makes one attempt per call
 * (`maxAttempts: 1`), so retries never multiply (SDK attempts × ours). The SDK's standard mode
 * cannot do what a signer needs: it has no total deadline (KMS quotas are per second, a throttle
 * window outlasts its ~3 quick attempts), it classifies `LimitExceededException` (a resource
 * quota, which waiting does not cure) as throttling and retries it, and it cannot retry a key
 * that is still being created or updated (`KMSInvalidStateException`). KMS sends no Retry-After,
 * so the backoff is ours alone.
 */
import { SignerError } from '@a1/core';

export interface RetryOptions {
  /** Tries per call, first included. Default 10; 1 disables retries. */
  maxAttempts?: number;
  /** Upper bound of the first backoff. Default 100 ms. */
  baseDelayMs?: number;
  /** Upper bound of any backoff. Default 2000 ms. */
  maxDelayMs?: number;
  /**
   * Time for one call, every attempt and backoff included: no attempt starts (or runs) past it.
   * Default 15 000 ms, long enough to ride out a short throttle window in interactive use.
   */
  deadlineMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2_000, deadlineMs: 15_000 };

/** An attempt started with less time than this left would only time out: stop instead. */
const MIN_ATTEMPT_MS = 250;
/** Timer slack when telling "cut short by the retry deadline" from "timed out on its own". */
const DEADLINE_SLACK_MS = 20;

/** The same error, its message saying why the retries stopped. */
function gaveUp(err: SignerError, note: string): SignerError {
  const prefix = err.keyId ? `${err.provider} key ${err.keyId}: ` : `${err.provider}: `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return new SignerError({
    provider: err.provider,
    keyId: err.keyId,
    code: err.code,
    retryable: err.retryable,
    message: `${message}; ${note}`,
    cause: err.cause,
  });
}

/** Resolves after `ms`, or rejects with `abortError()` as soon as the signal fires. */
function backoff(ms: number, signal: AbortSignal | undefined, abortError: () => SignerError): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, throws a non-retried error, the tries run out or the
 * deadline comes. `attempt` gets the time left, to bound its own deadline.
 */
export async function withRetries<T>(
  attempt: (remainingMs: number) => Promise<T>,
  shouldRetry: (err: SignerError) => boolean,
  options: Required<RetryOptions>,
  signal: AbortSignal | undefined,
  abortError: () => SignerError,
): Promise<T> {
  const started = Date.now();
  const deadline = started + options.deadlineMs;
  let previous: SignerError | undefined;
  for (let tried = 1; ; tried++) {
    try {
      return await attempt(Math.max(1, deadline - Date.now()));
    } catch (err) {
      // An attempt cut short by the retry deadline itself says nothing new: report the answer before it.
      if (err instanceof SignerError && err.code === 'Timeout' && previous && Date.now() >= deadline - DEADLINE_SLACK_MS) {
        throw gaveUp(previous, `gave up after ${tried} attempts in ${Date.now() - started} ms: reached the retry deadline of ${options.deadlineMs} ms (retry.deadlineMs)`);
      }
      if (!(err instanceof SignerError) || !shouldRetry(err)) throw err;
      if (tried >= options.maxAttempts) {
        throw options.maxAttempts === 1 ? err : gaveUp(err, `gave up after ${tried} attempts`);
      }
      const delay = Math.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (tried - 1));
      if (Date.now() + delay + MIN_ATTEMPT_MS >= deadline) {
        throw gaveUp(
          err,
          `gave up after ${tried} attempts in ${Date.now() - started} ms: reached the retry deadline of ${options.deadlineMs} ms (retry.deadlineMs)`,
        );
      }
      previous = err;
      await backoff(delay, signal, abortError);
    }
  }
}
