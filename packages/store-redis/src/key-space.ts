import { RedisStoreConfigError } from './config-error.js';

export const DEFAULT_NONCE_PREFIX = '{a1:nonce}:';
export const DEFAULT_REVOCATION_PREFIX = '{a1:revoked}:';

/**
 * The Redis keys of one store: `<prefix><hex of the nonce or fingerprint>`.
 *
 * Redis Cluster hashes only the part between the first `{` and the next `}` when that part is
 * non-empty. Every key of a store shares its prefix, so a prefix carrying such a hash tag puts all
 * of the store's keys in one slot: that is what lets one Lua script see every nonce of a chain, and
 * what lets `revokeBatch` run as one script.
 */
export class KeySpace {
  readonly prefix: string;
  readonly hashTag: string | undefined;

  constructor(prefix: string, what: string) {
    if (prefix.length === 0) throw new RedisStoreConfigError(`${what} key prefix must not be empty`);
    this.prefix = prefix;
    this.hashTag = hashTagOf(prefix);
  }

  /** Cluster routes by hash slot, so a prefix without a hash tag would split a batch across nodes. */
  requireHashTag(what: string): void {
    if (this.hashTag === undefined) {
      throw new RedisStoreConfigError(
        `${what} key prefix ${JSON.stringify(this.prefix)} has no hash tag; a Redis Cluster needs one, e.g. "{a1:nonce}:"`,
      );
    }
  }

  key(id: Uint8Array): string {
    return this.prefix + Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
  }
}

/** The hash tag Redis Cluster would use for keys starting with `prefix`, if the prefix fixes one. */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  if (open < 0) return undefined;
  const close = prefix.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return undefined;
  return prefix.slice(open + 1, close);
}
