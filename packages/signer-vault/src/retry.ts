/**
 * Re-attempts over a total deadline for the answers time can cure (429, 5xx, network errors,
 * timeouts). Vault's rate-limit quotas count per interval, so a retry sooner than the server
 * asked only burns another slot: each wait is Vault's Retry-After (when its rate-limit response
 * headers are on) plus full jitter, random 0..min(cap, base * 2^n), so waiting clients do not all
 * return at the window's first instant. A wait that would end past the deadline is not started;
 * the caller's AbortSignal ends any wait at once. Signing is idempotent (Ed25519 is deterministic),
 * so a repeated sign cannot produce two different certs. Hand-written: the policy is a few lines
 * and must read our own errors' hints and stop on the signal.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';
import { VaultRequestError } from './errors.js';

export interface RetryPolicy {
  /** Total time for the first attempt and every retry. */
  deadlineMs: number;
  /** Optional cap on retries after the first attempt (the deadline always applies). */
  maxRetries: number | undefined;
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
  const started = Date.now();
  for (let retry = 0; ; retry += 1) {
    if (signal?.aborted) throw onAbort();
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof SignerError) || !RETRIED.has(e.code)) throw e;
      if (policy.maxRetries !== undefined && retry >= policy.maxRetries) throw e;
      const hinted = e.cause instanceof VaultRequestError && e.cause.retryAfterSeconds !== undefined ? e.cause.retryAfterSeconds * 1000 : 0;
      const wait = hinted + Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
      const elapsed = Date.now() - started;
      if (elapsed + wait > policy.deadlineMs) throw gaveUp(e, elapsed, policy.deadlineMs);
      await abortableSleep(wait, signal, onAbort);
    }
  }
}

/** The last error, saying that the throttle (or outage) outlasted the deadline; still retryable. */
function gaveUp(last: SignerError, elapsedMs: number, deadlineMs: number): SignerError {
  const what = last.code === 'Throttled' ? 'throttle' : 'failure';
  return new SignerError({
    provider: last.provider,
    ...(last.keyId !== undefined ? { keyId: last.keyId } : {}),
    code: last.code,
    retryable: true,
    cause: last.cause,
    message: `${last.message}; gave up after ${elapsedMs} ms: the ${what} outlasts the retry deadline of ${deadlineMs} ms (retryDeadlineMs)`,
  });
}

function abortableSleep(ms: number, signal: AbortSignal | undefined, onAbort: () => SignerError): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
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
