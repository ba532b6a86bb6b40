/**
 * When a row may be purged, as unix seconds, or `null` for never. Rows carry an absolute
 * `expires_at` compared with the database's clock, so the only clocks that matter are the
 * verifiers' (they decide until when a cert is accepted) against the database's.
 */
export type ExpiryUnix = bigint | null;

/**
 * Kept beyond `retainUntil` (the cert's expiry + drift, from `authorize`): a verifier whose clock is
 * behind still accepts the cert after that instant, and must still find its nonce (issue 12 §5: a
 * verifier 10 s slow replayed a chain whose record had just gone). Five minutes covers any clock
 * an NTP-synchronised fleet keeps, at the cost of five more minutes of rows.
 */
export const DEFAULT_SKEW_MARGIN_SECONDS = 300;

/** Expiries past 1 Jan 2200 are kept for good (the vectors use 2^64−1, beyond `timestamptz`). */
export const FOREVER_AFTER_UNIX = 7_258_118_400n;

export function expiryAfter(retainUntil: bigint, marginSeconds: number): ExpiryUnix {
  const at = retainUntil + BigInt(Math.ceil(marginSeconds));
  return at > FOREVER_AFTER_UNIX ? null : at;
}

/** Expiry for a configured TTL from now; `undefined` keeps the row for good. */
export function expiryIn(ttlSeconds: number | undefined, nowUnix: bigint): ExpiryUnix {
  if (ttlSeconds === undefined) return null;
  return expiryAfter(nowUnix, ttlSeconds);
}

/** The later of two expiries (`null`, never, wins): a second write never shortens a row's life. */
export function laterExpiry(a: ExpiryUnix, b: ExpiryUnix): ExpiryUnix {
  if (a === null || b === null) return null;
  return a > b ? a : b;
}

export function nowUnix(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

/** Checks a user-supplied seconds option at construction time. */
export function isValidSeconds(seconds: number | undefined, allowZero = false): boolean {
  return seconds === undefined || (Number.isFinite(seconds) && (allowZero ? seconds >= 0 : seconds > 0));
}

/** As `pg` sends an `int8[]` element: a decimal string, or null. */
export function asParam(expiry: ExpiryUnix): string | null {
  return expiry === null ? null : expiry.toString();
}
