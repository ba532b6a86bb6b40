/**
 * Token buckets keyed by client IP or API key, as upstream's per-IP limiter (§1.4): `rate`
 * requests per second with a burst of the same size. Hand-written (30 lines) because
 * @fastify/rate-limit counts fixed windows, which lets twice the rate through at a window edge.
 */
interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;

  constructor(
    readonly rate: number,
    burst?: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = burst ?? rate;
  }

  /** Takes one token for `key`; false when its bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= 100_000) this.prune(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets buckets that have refilled completely (they behave as new ones). */
  private prune(now: number): void {
    const fullAfterMs = (this.burst / this.rate) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= fullAfterMs) this.buckets.delete(key);
  }
}
