/**
 * Idempotency-Key for issue and issue-batch (§4.3): a success is replayed with 200 for 300 s,
 * whatever the new body. Two safer details than upstream: the cache is partitioned by caller
 * (one API key cannot read another's certs by guessing its key), and concurrent first requests
 * with one key share a single issuance instead of both issuing.
 */
import { IDEMPOTENCY_EVICT_ABOVE, IDEMPOTENCY_TTL_MS } from './contract.js';

interface Entry {
  body: string;
  at: number;
}

/** Header values upstream accepts (visible ASCII and tab); others are ignored as upstream does. */
export function idempotencyKeyOf(header: unknown): string | undefined {
  return typeof header === 'string' && /^[\t\x20-\x7e]*$/.test(header) ? header : undefined;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The stored answer for `key` (`replayed: true`), or the result of `issue()` stored under it.
   * A failed `issue()` stores nothing.
   */
  async run(key: string, issue: () => Promise<string>): Promise<{ body: string; replayed: boolean }> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < IDEMPOTENCY_TTL_MS) return { body: hit.body, replayed: true };
    const pending = this.inFlight.get(key);
    if (pending) return { body: await pending, replayed: true };
    const promise = issue();
    this.inFlight.set(key, promise);
    try {
      const body = await promise;
      this.store(key, body);
      return { body, replayed: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private store(key: string, body: string): void {
    const now = this.now();
    if (this.entries.size > IDEMPOTENCY_EVICT_ABOVE) {
      for (const [k, e] of this.entries) if (now - e.at >= IDEMPOTENCY_TTL_MS) this.entries.delete(k);
    }
    this.entries.set(key, { body, at: now });
  }
}
