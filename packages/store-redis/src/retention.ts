/**
 * How long Redis keeps a key, in milliseconds. `0` means "no expiry": a cert that expires
 * further out than `FOREVER_AFTER_MS` (the vectors use 2^64−1) would overflow Redis' expiry
 * arithmetic, and forgetting its nonce early would reopen replay, so it is kept for good.
 */
export type RetentionMs = bigint;

export const MIN_RETENTION_MS = 1_000n;
/** 100 years; Redis rejects expiries near 2^63 ms, and nothing useful is that far out. */
export const FOREVER_AFTER_MS = 100n * 365n * 24n * 3600n * 1000n;
export const NO_EXPIRY: RetentionMs = 0n;

/** Retention for a key that may be forgotten after `retainUntil` (unix seconds), at `now`. */
export function retentionUntil(retainUntil: bigint, now: bigint): RetentionMs {
  return clamp((retainUntil - now) * 1000n);
}

/** Retention for a configured number of seconds; `undefined` keeps the key for good. */
export function retentionFor(seconds: number | undefined): RetentionMs {
  if (seconds === undefined) return NO_EXPIRY;
  return clamp(BigInt(Math.ceil(seconds * 1000)));
}

function clamp(ms: bigint): RetentionMs {
  if (ms > FOREVER_AFTER_MS) return NO_EXPIRY;
  return ms < MIN_RETENTION_MS ? MIN_RETENTION_MS : ms;
}

/** Checks a user-supplied TTL option at construction time. */
export function isValidTtlSeconds(seconds: number | undefined): boolean {
  return seconds === undefined || (Number.isFinite(seconds) && seconds > 0);
}
