/**
 * Retries with exponential backoff and full jitter, bounded by a total deadline and the caller's
 * AbortSignal, for signers that talk to a remote key service. Each signer decides what is worth
 * another attempt (its policy), its defaults, and why it retries itself instead of in its SDK.
 *
 * Its own entry point (`@a1/core/retry`), so core's main bundle does not carry it. Timers and
 * AbortSignal only: no Node built-ins, it runs wherever core does.
 */
import { SignerError } from './signer-error.js';

export interface RetryOptions {
  /** Tries per call, first included; 1 disables retries. */
  maxAttempts?: number;
  /** Upper bound of the first backoff. */
  baseDelayMs?: number;
  /** Upper bound of any backoff without a server hint. */
  maxDelayMs?: number;
  /** Time for one call, every attempt and backoff included: no attempt starts (or runs) past it. */
  deadlineMs?: number;
}

export interface RetryPolicy {
  /** Whether this error is worth another attempt. */
  shouldRetry(err: SignerError): boolean;
  /** The server's own delay for this error (e.g. google.rpc.RetryInfo), in ms, when it sent one. */
  hintMs?(err: SignerError): number | undefined;
}

/** An attempt started with less time than this left would only time out: stop instead. */
const MIN_ATTEMPT_MS = 250;
/** Timer slack when telling "cut short by the retry deadline" from "timed out on its own". */
const DEADLINE_SLACK_MS = 20;

/** The same error, its message saying why the retries stopped. */
export function gaveUp(err: SignerError, note: string): SignerError {
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
export function backoff(ms: number, signal: AbortSignal | undefined, abortError: () => SignerError): Promise<void> {
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
 * deadline comes. `attempt` gets the time left, to bound its own deadline. A server hint longer
 * than the jittered backoff is waited instead; one that lands past the deadline ends the call at
 * once instead of sleeping in vain.
 */
export async function withRetries<T>(
  attempt: (remainingMs: number) => Promise<T>,
  policy: RetryPolicy,
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
      await backoff(delay, signal, abortError);
    }
  }
}
