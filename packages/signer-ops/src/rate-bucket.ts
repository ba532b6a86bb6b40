/**
 * The token bucket as a reservation (GCRA, the "generic cell rate algorithm" of ATM networks and
 * redis-cell): one number, the theoretical arrival time, says when the next call may go. A caller
 * reserves its slot and sleeps until it; `burst` calls may go at once after a quiet spell, then one
 * per interval. The same arithmetic runs in-process here and in Redis (shared-bucket.ts).
 */
export interface RateBucket {
  /**
   * Reserves the next slot: resolves to the milliseconds to wait before calling, or `undefined`
   * (nothing reserved) when that wait would exceed `maxWaitMs`.
   */
  reserve(intervalMs: number, burst: number, maxWaitMs: number): Promise<number | undefined>;
  close?(): Promise<void>;
}

/** One step of GCRA: the wait before the call and the new arrival time, or no reservation. */
export function gcraStep(
  tat: number,
  now: number,
  intervalMs: number,
  burst: number,
  maxWaitMs: number,
): { waitMs: number; tat: number } | undefined {
  const start = Math.max(tat, now);
  const waitMs = Math.max(0, start - (burst - 1) * intervalMs - now);
  if (waitMs > maxWaitMs) return undefined;
  return { waitMs, tat: start + intervalMs };
}

/** The bucket of one process. */
export class LocalRateBucket implements RateBucket {
  private tat = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  async reserve(intervalMs: number, burst: number, maxWaitMs: number): Promise<number | undefined> {
    const step = gcraStep(this.tat, this.now(), intervalMs, burst, maxWaitMs);
    if (!step) return undefined;
    this.tat = step.tat;
    return step.waitMs;
  }
}
