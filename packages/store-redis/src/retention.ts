/**
 * How long Redis keeps a key, as the store script reads it: `keep` (no expiry), `in:<ms>` (from
 * when Redis writes it) or `at:<unix ms>` (a moment on Redis' own clock, not the verifier's).
 */
export type Expiry = 'keep' | `in:${bigint}` | `at:${bigint}`;

export const KEEP: Expiry = 'keep';
export const MIN_RETENTION_MS = 1_000n;
/** 100 years; Redis rejects expiries near 2^63 ms, and nothing useful is that far out. */
export const FOREVER_AFTER_MS = 100n * 365n * 24n * 3600n * 1000n;
/**
 * Default margin kept on top of a cert's expiry + drift. A verifier accepts a cert until its own
 * clock passes expiry + drift, so a verifier whose clock lags by s seconds accepts it s seconds
 * longer (in real time) than a correct one: the nonce must outlive that, or the lagging verifier
 * replays a chain the correct one consumed. Five minutes covers any NTP-kept fleet with room.
 */
export const DEFAULT_SKEW_MARGIN_SECONDS = 300;

/**
 * Expiry for a key that may be forgotten after `retainUntil` (unix seconds, the cert's expiry +
 * drift) plus `marginSeconds` of inter-verifier clock skew, on Redis' clock. Certs that expire
 * more than 100 years out (the vectors use 2^64−1) are kept for good: Redis cannot express such a
 * TTL, and forgetting the nonce early would reopen replay.
 */
export function expiryAfter(retainUntil: bigint, marginSeconds: number, nowMs: bigint = BigInt(Date.now())): Expiry {
  const atMs = (retainUntil + BigInt(Math.ceil(marginSeconds))) * 1000n;
  return atMs - nowMs > FOREVER_AFTER_MS ? KEEP : `at:${atMs}`;
}

/** Expiry after a configured number of seconds (at least one); `undefined` keeps the key for good. */
export function expiryIn(seconds: number | undefined): Expiry {
  if (seconds === undefined) return KEEP;
  const ms = BigInt(Math.ceil(seconds * 1000));
  if (ms > FOREVER_AFTER_MS) return KEEP;
  return `in:${ms < MIN_RETENTION_MS ? MIN_RETENTION_MS : ms}`;
}

/** Checks a user-supplied TTL option at construction time. */
export function isValidTtlSeconds(seconds: number | undefined): boolean {
  return seconds === undefined || (Number.isFinite(seconds) && seconds > 0);
}

/** Checks the skew margin: zero is allowed (a single verifier), negative or infinite is not. */
export function isValidMarginSeconds(seconds: number | undefined): boolean {
  return seconds === undefined || (Number.isFinite(seconds) && seconds >= 0);
}
