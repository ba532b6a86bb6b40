import { randomBytes } from 'node:crypto';
import { A1Error } from '@a1/core';
import { DEFAULT_NONCE_PREFIX, DEFAULT_REVOCATION_PREFIX } from './key-space.js';
import type { StoreOperation } from './store-script.js';

export interface LostDataOptions {
  /** Arm a key space that has no marker on first use (development only; see store-options.ts). */
  autoArm: boolean;
  /** After a detected loss, re-arm by itself once this long has passed (0 = only an operator). */
  recoverAfterMs: bigint;
}

/** The marker key's name: inside the store's prefix, so it shares the hash slot of every key. */
export const MARKER_SUFFIX = 'armed';

/**
 * Detects that Redis lost the store's data and fails closed until someone re-arms it.
 *
 * Each key space has a marker key without expiry, written once when the key space is first armed.
 * A restart without persistence, a FLUSHALL, an eviction or a failover to an empty replica removes
 * it along with the consumed nonces and revocations. The store script checks it on every call: a
 * store that saw the marker and finds it gone (or replaced by a first-use marker it never saw)
 * records the loss in the marker (`lost:<ms>`), so every store — including ones started later —
 * refuses every call with `StorageFailure` until an operator re-arms it (`rearm()`, after restoring
 * revocations) or, for nonces only, `recoverAfterMs` has passed since the loss was seen.
 */
export class LostDataGuard {
  readonly markerKey: string;
  readonly #what: 'nonce' | 'revocation';
  readonly #prefix: string;
  readonly #options: LostDataOptions;
  /** The marker this store last saw; '' before its first call. */
  #seen = '';

  constructor(prefix: string, what: 'nonce' | 'revocation', options: LostDataOptions) {
    this.markerKey = prefix + MARKER_SUFFIX;
    this.#what = what;
    this.#prefix = prefix;
    this.#options = options;
  }

  /** ARGV[1..5] of the store script. */
  scriptArgs(op: StoreOperation): string[] {
    return [
      op,
      this.#seen,
      this.#options.autoArm ? '1' : '0',
      this.#options.recoverAfterMs.toString(),
      randomBytes(12).toString('hex'),
    ];
  }

  /** The operation's result ('1'/'0') from the script's reply, or the StorageFailure it means. */
  settle(reply: unknown): string {
    const [status, value, result] = Array.isArray(reply) ? (reply as unknown[]).map(String) : [];
    if (status === 'ok' && value !== undefined && result !== undefined) {
      this.#seen = value;
      return result;
    }
    if (status === 'lost') throw this.#lost(Number(value));
    if (status === 'unarmed') {
      throw new A1Error('StorageFailure', {
        reason:
          `the Redis ${this.#what} key space has no marker (${JSON.stringify(this.markerKey)}): it was never ` +
          'armed, or Redis lost its data before any store saw it, and the two look the same. On a new ' +
          `deployment run once: ${this.#command('arm')} (or call arm() on the store). If this Redis lost ` +
          `its data, restore the revocations instead: ${this.#command('rearm --revoked FILE')} ` +
          '(see the @a1/store-redis README, "Lost data")',
      });
    }
    throw new A1Error('StorageFailure', { reason: 'redis store script: unexpected reply' });
  }

  #lost(sinceMs: number): A1Error {
    const since = Number.isFinite(sinceMs) ? new Date(sinceMs).toISOString() : 'an unknown time';
    const recovery =
      this.#options.recoverAfterMs > 0n && Number.isFinite(sinceMs)
        ? `, or until ${new Date(sinceMs + Number(this.#options.recoverAfterMs)).toISOString()} when the ` +
          'nonce recovery window (recoverAfterSeconds) has passed'
        : '';
    return new A1Error('StorageFailure', {
      reason:
        'Redis lost its data: revocations and consumed nonces are gone ' +
        `(the ${this.#what} marker key ${JSON.stringify(this.markerKey)} vanished; loss seen at ${since}: ` +
        'a restart without persistence, FLUSHALL, eviction, or a failover to an empty replica). ' +
        'Every call is refused until an operator restores the revocations and re-arms: ' +
        `${this.#command('rearm --revoked FILE')} (FILE: every revoked fingerprint, hex, one per line), ` +
        `or rearm() on the stores (see the @a1/store-redis README, "Lost data")${recovery}`,
    });
  }

  /** The `a1-store-redis` command line for this key space, with its prefix when not the default. */
  #command(subcommand: string): string {
    const [variable, fallback] =
      this.#what === 'nonce'
        ? ['A1_REDIS_NONCE_PREFIX', DEFAULT_NONCE_PREFIX]
        : ['A1_REDIS_REVOCATION_PREFIX', DEFAULT_REVOCATION_PREFIX];
    const prefix = this.#prefix === fallback ? '' : `${variable}='${this.#prefix}' `;
    return `\`A1_REDIS_URL=… ${prefix}npx a1-store-redis ${subcommand}\``;
  }
}
