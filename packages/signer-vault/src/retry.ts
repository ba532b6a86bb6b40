/**
 * Bounded retry with exponential backoff and full jitter, for the answers a retry can cure
 * (429, 5xx, network errors, timeouts). Signing is idempotent (Ed25519 is deterministic), so
 * repeating a sign request cannot produce two different certs. Hand-written because the policy
 * is three lines and must stop at once on an `AbortSignal` and on non-retryable `SignerError`s.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
}

const RETRIED: ReadonlySet<SignerErrorCode> = new Set(['Throttled', 'Unavailable', 'Timeout']);

export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  onAbort: () => SignerError,
  signal?: AbortSignal,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    if (signal?.aborted) throw onAbort();
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof SignerError) || !RETRIED.has(e.code) || retry >= policy.maxRetries) throw e;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
      await abortableSleep(Math.random() * ceiling, signal, onAbort);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined, onAbort: () => SignerError): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Settles with `work`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => SignerError): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
