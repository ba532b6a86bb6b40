/**
 * Retries with exponential backoff and full jitter. The signer retries here instead of in the
 * client because google-gax's Cloud KMS defaults retry UNAVAILABLE and DEADLINE_EXCEEDED but
 * not RESOURCE_EXHAUSTED, would multiply a hang by its retries, and cannot see a checksum
 * mismatch (which is not a gRPC status).
 */
import { SignerError } from '@a1/core';
import { PROVIDER } from './errors.js';

export interface RetryOptions {
  /** Tries per call, first included. Default 4; 1 disables retries. */
  maxAttempts?: number;
  /** Upper bound of the first backoff. Default 100 ms. */
  baseDelayMs?: number;
  /** Upper bound of any backoff. Default 2000 ms. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 };

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

/** Runs `attempt` until it succeeds, throws a non-retried error, or the tries run out. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  shouldRetry: (err: SignerError) => boolean,
  options: Required<RetryOptions>,
  keyId: string,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof SignerError) || tried >= options.maxAttempts || !shouldRetry(err)) throw err;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (tried - 1));
      await backoff(Math.random() * ceiling, keyId, signal);
    }
  }
}
