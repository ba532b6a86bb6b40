/**
 * Fault injection shared by every emulator: tests and benchmarks queue faults per
 * operation and/or key, and each emulator asks `take()` before answering a call.
 */

export type Fault =
  /** Answer normally, but only after `ms` milliseconds. */
  | { kind: 'latency'; ms: number }
  /** The backend's throttling answer (AWS ThrottlingException, gRPC RESOURCE_EXHAUSTED, HTTP 429). */
  | { kind: 'throttle'; retryAfterSeconds?: number }
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

export class FaultPlan {
  private rules: ActiveRule[] = [];

  /** Queue a fault. Returns this for chaining. */
  inject(rule: FaultRule): this {
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  clear(): void {
    this.rules = [];
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
