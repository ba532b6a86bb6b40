/**
 * Fault injection shared by every emulator: tests and benchmarks queue faults per
 * operation and/or key, and each emulator asks `take()` before answering a call.
 */

export type Fault =
  /** Answer normally, but only after `ms` milliseconds. */
  | { kind: 'latency'; ms: number }
  /** The backend's throttling answer (AWS ThrottlingException, gRPC RESOURCE_EXHAUSTED, HTTP 429). */
  | { kind: 'throttle'; retryAfterSeconds?: number }
  /**
   * A resource quota (not a request rate) was exceeded: AWS `LimitExceededException`. Waiting a
   * second does not help, so clients must not retry it. Backends without such an answer ignore it.
   */
  | { kind: 'limit-exceeded' }
  /** The backend's outage answer (HTTP 5xx, gRPC UNAVAILABLE). */
  | { kind: 'unavailable' }
  /** Never answer (the socket stays open until the client gives up or the emulator closes). */
  | { kind: 'hang' }
  /** A well-formed answer whose signature is random bytes. */
  | { kind: 'garbage-signature' }
  /** A well-formed answer signed by a different key. */
  | { kind: 'wrong-key-signature' }
  /** A well-formed answer with a wrong checksum (Cloud KMS CRC32C fields). */
  | { kind: 'corrupt-crc' }
  /** The answer cut short: headers promise more body than is sent. */
  | { kind: 'truncated-body' };

export type FaultKind = Fault['kind'];

export interface FaultRule {
  fault: Fault;
  /** Operation name as the emulator counts it (e.g. `Sign`, `GetPublicKey`); all when omitted. */
  operation?: string;
  /** Key the call addresses (id, alias, name); all keys when omitted. */
  key?: string;
  /** How many matching calls this rule hits; forever when omitted. */
  times?: number;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

/**
 * A time-based quota, the way the services meter calls: at most `limit` matching calls per window
 * of `windowMs` (AWS KMS: requests per second; Cloud KMS: per minute; Vault rate-limit quotas: per
 * interval). Calls over the limit are answered with the backend's throttle until the window ends,
 * however quickly or often the client retries — short retries do not win, as they don't in the clouds.
 */
export interface QuotaRule {
  limit: number;
  windowMs: number;
  /** Operation name as the emulator counts it; all operations when omitted. */
  operation?: string;
  /** Key the call addresses; all keys when omitted. */
  key?: string;
}

interface ActiveQuota extends QuotaRule {
  windowStart: number;
  used: number;
}

/**
 * The command line's form of a quota: `LIMIT/WINDOW_MS[:OPERATION[:KEY]]`, e.g. `5/1000:Sign`
 * (5 Sign calls per second) or `60/60000` (60 calls of any kind per minute). KEY may hold colons (ARNs).
 */
export function parseQuotaRule(text: string): QuotaRule {
  const match = /^(\d+)\/(\d+)(?::([A-Za-z][A-Za-z0-9]*)(?::(.+))?)?$/.exec(text.trim());
  if (!match) throw new RangeError(`quota "${text}" is not LIMIT/WINDOW_MS[:OPERATION[:KEY]] (e.g. 5/1000:Sign)`);
  const rule: QuotaRule = { limit: Number(match[1]), windowMs: Number(match[2]) };
  if (!(rule.windowMs > 0)) throw new RangeError(`quota "${text}" needs a window of at least 1 ms`);
  if (match[3] !== undefined) rule.operation = match[3];
  if (match[4] !== undefined) rule.key = match[4];
  return rule;
}

export class FaultPlan {
  private rules: ActiveRule[] = [];
  private quotas: ActiveQuota[] = [];
  /** Clock for quota windows; tests may replace it. */
  now: () => number = () => Date.now();

  /** Queue a fault. Returns this for chaining. */
  inject(rule: FaultRule): this {
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  /** Meter matching calls: over `limit` per `windowMs`, each call is throttled until the window ends. */
  quota(rule: QuotaRule): this {
    if (!(rule.limit >= 0) || !(rule.windowMs > 0)) throw new RangeError('quota needs limit >= 0 and windowMs > 0');
    this.quotas.push({ ...rule, windowStart: this.now(), used: 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
    this.quotas = [];
  }

  /**
   * The faults that hit this call (consuming one use of each matching rule), latency first.
   * Keys are matched against every name the call's key is known by.
   */
  take(operation: string, keyNames: readonly string[] = []): Fault[] {
    const hits: Fault[] = [];
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.key !== undefined && !keyNames.includes(rule.key)) continue;
      rule.remaining -= 1;
      hits.push(rule.fault);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    const now = this.now();
    for (const quota of this.quotas) {
      if (quota.operation !== undefined && quota.operation !== operation) continue;
      if (quota.key !== undefined && !keyNames.includes(quota.key)) continue;
      if (now - quota.windowStart >= quota.windowMs) {
        // Windows are aligned to the first one, like a per-second or per-minute meter.
        quota.windowStart += Math.floor((now - quota.windowStart) / quota.windowMs) * quota.windowMs;
        quota.used = 0;
      }
      if (quota.used < quota.limit) {
        quota.used += 1;
        continue;
      }
      const remainingMs = quota.windowStart + quota.windowMs - now;
      hits.push({ kind: 'throttle', retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) });
    }
    return hits.sort((a, b) => Number(b.kind === 'latency') - Number(a.kind === 'latency'));
  }
}

/** Calls per operation, so tests and benchmarks can assert how many round trips were made. */
export class CallCounter {
  private counts = new Map<string, number>();

  record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  get(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
