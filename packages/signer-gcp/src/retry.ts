/**
 * Retries with exponential backoff and full jitter, bounded by a total deadline and the caller's
 * AbortSignal. The signer retries here instead of in the client because google-gax's Cloud KMS
 * defaults retry UNAVAILABLE and DEADLINE_EXCEEDED but not RESOURCE_EXHAUSTED, would multiply a
 * hang by its retries, and cannot see a checksum mismatch (which is not a gRPC status).
 *
 * Quotas are metered per window (Cloud KMS: per minute), so short retries alone lose to a
 * throttle: the deadline (default 15 s, sized for interactive use) lets a caller ride out a
 * short window, and a server hint (google.rpc.RetryInfo) is honoured when the service sends one.
 * A hint that lands past the deadline ends the call at once instead of sleeping in vain.
 */
import { SignerError } from '@a1/core';
import { PROVIDER } from './errors.js';

export interface RetryOptions {
  /** Tries per call, first included. Default 10; 1 disables retries. */
  maxAttempts?: number;
  /** Upper bound of the first backoff. Default 100 ms. */
  baseDelayMs?: number;
  /** Upper bound of any backoff without a server hint. Default 2000 ms. */
  maxDelayMs?: number;
  /**
   * Time for one call, every attempt and backoff included: no attempt starts (or runs) past it.
   * Default 15 000 ms, long enough to ride out a short throttle window in interactive use.
   */
  deadlineMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2_000, deadlineMs: 15_000 };

export function aborted(keyId: string, signal: AbortSignal): SignerError {
  return new SignerError({
    provider: PROVIDER,
    keyId,
    code: 'Aborted',
    retryable: false,
    message: 'the caller aborted the call',
    cause: signal.reason,
  });
}

/** Resolves after `ms`, or rejects with `Aborted` as soon as the signal fires. */
function backoff(ms: number, keyId: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(keyId, signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(aborted(keyId, signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

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

export interface RetryPolicy {
  /** Whether this error is worth another attempt. */
  shouldRetry(err: SignerError): boolean;
  /** The server's own delay for this error (e.g. RetryInfo), in ms, when it sent one. */
  hintMs?(err: SignerError): number | undefined;
}

/**
 * Runs `attempt` until it succeeds, throws a non-retried error, the tries run out or the
 * deadline comes. `attempt` gets the time left, to bound its own RPC deadline.
 */
export async function withRetries<T>(
  attempt: (remainingMs: number) => Promise<T>,
  policy: RetryPolicy,
  options: Required<RetryOptions>,
  keyId: string,
  signal: AbortSignal | undefined,
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
      if (!(err instanceof SignerError) || !policy.shouldRetry(err)) throw err;
      if (tried >= options.maxAttempts) {
        throw options.maxAttempts === 1 ? err : gaveUp(err, `gave up after ${tried} attempts`);
      }
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (tried - 1));
      const jittered = Math.random() * ceiling;
      const hint = policy.hintMs?.(err);
      const delay = hint === undefined ? jittered : Math.max(hint, jittered);
      if (Date.now() + delay + MIN_ATTEMPT_MS >= deadline) {
        const waited = Date.now() - started;
        const why = hint !== undefined && hint > jittered ? `the service asked to wait ${Math.ceil(hint)} ms, past` : 'reached';
        throw gaveUp(err, `gave up after ${tried} attempts in ${waited} ms: ${why} the retry deadline of ${options.deadlineMs} ms (retry.deadlineMs)`);
      }
      previous = err;
      await backoff(delay, keyId, signal);
    }
  }
}
