/**
 * Re-attempts over a total deadline, for answers that time can cure (429, 5xx). Real quotas are
 * per window (Key Vault: per 10 s per vault), so a retry that comes back sooner than the service
 * asked only burns another slot: each wait is the server's Retry-After plus full jitter
 * (random 0..min(cap, base * 2^n)), so waiting clients do not all return at the window's first
 * instant. A wait that would end past the deadline is not started; the caller's AbortSignal ends
 * any wait at once. Hand-written because it must read Retry-After from our own errors and stop on
 * the signal; the policy itself is a few lines.
 */
import { SignerError } from '@a1/core';

export interface RetryBudget {
  /** Total time for the first attempt and every retry. */
  deadlineMs: number;
  /** First backoff ceiling; doubles per retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

const RETRIED = new Set<SignerError['code']>(['Throttled', 'Unavailable']);

export interface RetryHooks {
  /** The server's requested wait in ms, when the error carries one. */
  retryAfterMs(error: SignerError): number | undefined;
  /** The error thrown when the next wait would pass the deadline. */
  giveUp(last: SignerError, elapsedMs: number): SignerError;
  aborted(): SignerError;
}

export async function retryUntilDeadline<T>(
  attempt: () => Promise<T>,
  budget: RetryBudget,
  hooks: RetryHooks,
  signal?: AbortSignal,
): Promise<T> {
  const started = Date.now();
  for (let retry = 0; ; retry += 1) {
    if (signal?.aborted) throw hooks.aborted();
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof SignerError) || !RETRIED.has(error.code)) throw error;
      const jitter = Math.random() * Math.min(budget.maxDelayMs, budget.baseDelayMs * 2 ** retry);
      const wait = (hooks.retryAfterMs(error) ?? 0) + jitter;
      const elapsed = Date.now() - started;
      if (elapsed + wait > budget.deadlineMs) throw hooks.giveUp(error, elapsed);
      await abortableSleep(wait, signal, hooks.aborted);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined, aborted: () => SignerError): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
