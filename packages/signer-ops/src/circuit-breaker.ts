/**
 * One breaker per failover member: after `failureThreshold` retryable failures in a row it opens
 * for `cooldownMs`, and the member is tried only after the others; one success closes it again.
 */
export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the breaker. Default 3. */
  failureThreshold?: number;
  /** How long an open breaker keeps the member at the back of the line. Default 30 000 ms. */
  cooldownMs?: number;
}

export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private readonly threshold: number;
  private readonly cooldownMs: number;

  constructor(options: CircuitBreakerOptions = {}, private readonly now: () => number = () => performance.now()) {
    this.threshold = options.failureThreshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  get open(): boolean {
    return this.now() < this.openUntil;
  }

  success(): void {
    this.failures = 0;
    this.openUntil = 0;
  }

  failure(): void {
    this.failures += 1;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }
}
