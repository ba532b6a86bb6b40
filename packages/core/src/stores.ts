/**
 * Nonce and revocation stores. Methods may answer synchronously or with a promise, so a shared
 * store (Redis, SQL) implements the same interface as the in-memory defaults.
 */
import { toHex } from './bytes.js';

export interface NonceConsumeContext {
  /** Unix seconds after which each nonce may be forgotten (its cert's expiry + drift), same order as `nonces`. */
  retainUntil: readonly bigint[];
  /** The verifier's clock, unix seconds. */
  now: bigint;
}

export interface NonceStore {
  /** All-or-nothing: true and every nonce now consumed, or false and nothing changed. */
  tryConsumeBatch(nonces: readonly Uint8Array[], context?: NonceConsumeContext): boolean | Promise<boolean>;
  isConsumed(nonce: Uint8Array): boolean | Promise<boolean>;
  markConsumed(nonce: Uint8Array, context?: { retainUntil: bigint; now: bigint }): void | Promise<void>;
}

export interface RevocationStore {
  isRevoked(fingerprint: Uint8Array): boolean | Promise<boolean>;
  revoke(fingerprint: Uint8Array): void | Promise<void>;
  revokeBatch(fingerprints: readonly Uint8Array[]): void | Promise<void>;
}

/**
 * In-process nonce store. Entries given a `retainUntil` are dropped once the clock passes it,
 * so a long-running verifier does not grow without bound.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly consumed = new Map<string, bigint | undefined>();
  private lastPrune = -1n;

  tryConsumeBatch(nonces: readonly Uint8Array[], context?: NonceConsumeContext): boolean {
    if (context) this.prune(context.now);
    const keys = nonces.map(toHex);
    // The check and the insert run with no await between them: atomic within this process.
    if (keys.some((k) => this.consumed.has(k))) return false;
    keys.forEach((k, i) => this.consumed.set(k, context?.retainUntil[i]));
    return true;
  }

  isConsumed(nonce: Uint8Array): boolean {
    return this.consumed.has(toHex(nonce));
  }

  markConsumed(nonce: Uint8Array, context?: { retainUntil: bigint; now: bigint }): void {
    this.consumed.set(toHex(nonce), context?.retainUntil);
  }

  get size(): number {
    return this.consumed.size;
  }

  private prune(now: bigint): void {
    // At most once per clock second: a sweep is O(entries).
    if (now <= this.lastPrune) return;
    this.lastPrune = now;
    for (const [k, until] of this.consumed) if (until !== undefined && until < now) this.consumed.delete(k);
  }
}

export class MemoryRevocationStore implements RevocationStore {
  private readonly revoked = new Set<string>();

  isRevoked(fingerprint: Uint8Array): boolean {
    return this.revoked.has(toHex(fingerprint));
  }

  revoke(fingerprint: Uint8Array): void {
    this.revoked.add(toHex(fingerprint));
  }

  revokeBatch(fingerprints: readonly Uint8Array[]): void {
    for (const f of fingerprints) this.revoke(f);
  }

  get size(): number {
    return this.revoked.size;
  }
}
