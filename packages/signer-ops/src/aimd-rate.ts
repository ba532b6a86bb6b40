/**
 * Additive increase, multiplicative decrease (TCP's answer to congestion): a throttle from the
 * backend halves the rate at once; it then climbs back linearly to the configured rate. Computed
 * from the time of the last cut, so no timer runs.
 */
export interface AimdOptions {
  /** Factor applied on each throttle. Default 0.5. */
  decrease?: number;
  /** Calls per second regained per second. Default: a tenth of the configured rate. */
  increasePerSecond?: number;
  /** Never below this. Default: a twentieth of the configured rate (at least 0.1/s). */
  minRatePerSecond?: number;
}

export class AimdRate {
  private cutRate: number;
  private cutAt = Number.NEGATIVE_INFINITY;
  private readonly decrease: number;
  private readonly increasePerSecond: number;
  private readonly minRate: number;

  constructor(
    readonly maxRate: number,
    options: AimdOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.cutRate = maxRate;
    this.decrease = options.decrease ?? 0.5;
    this.increasePerSecond = options.increasePerSecond ?? maxRate / 10;
    this.minRate = options.minRatePerSecond ?? Math.max(0.1, maxRate / 20);
  }

  /** The rate to use now. */
  current(): number {
    const regained = ((this.now() - this.cutAt) / 1000) * this.increasePerSecond;
    return Math.min(this.maxRate, this.cutRate + regained);
  }

  /** The backend throttled us: cut the rate (from where it is now). */
  throttled(): number {
    this.cutRate = Math.max(this.minRate, this.current() * this.decrease);
    this.cutAt = this.now();
    return this.cutRate;
  }
}
