/**
 * Structured intents: an action plus normalized parameters, hashed exactly as the reference's
 * `Intent::hash`. The hash is also each capability's Merkle leaf.
 */
import { compareBytes, u64le, utf8 } from './bytes.js';
import { A1Error } from './errors.js';
import { deriveKey, deriveKeyHasher, TAG } from './hashing.js';

export const MAX_ACTION_LEN = 256;
export const MAX_PARAM_KEY_LEN = 128;
export const MAX_PARAM_VALUE_LEN = 4096;
export const MAX_INTENT_PARAMS = 64;

const VERSION = Uint8Array.of(1);
const INTENT_TAG = utf8(TAG.intent);

// Rust `str::trim` strips Unicode White_Space: unlike JavaScript's `trim` it strips U+0085 (NEL)
// and keeps U+FEFF (BOM).
const RUST_WHITESPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${RUST_WHITESPACE}]+|[${RUST_WHITESPACE}]+$`, 'g');

// With the `u` flag a surrogate pair is one code point, so this matches only lone surrogates:
// UTF-8 cannot encode them (TextEncoder would hash U+FFFD instead, colliding with it).
const LONE_SURROGATE = /\p{Cs}/u;

function refuseLoneSurrogate(s: string, what: string): void {
  if (LONE_SURROGATE.test(s)) throw A1Error.wire(`${what} contains a lone surrogate (not valid Unicode text)`);
}

/** Trim then full Unicode lowercase, as the reference normalizes parameter keys and values. */
export function normalizeParam(s: string): string {
  return rustTrim(s).toLowerCase();
}

/** Rust's `str::trim`. */
export function rustTrim(s: string): string {
  return s.replace(TRIM, '');
}

export type IntentParams = Record<string, string> | ReadonlyArray<readonly [string, string]>;

export class Intent {
  readonly action: string;
  private readonly actionBytes: Uint8Array;
  private readonly params = new Map<string, { keyBytes: Uint8Array; value: string }>();

  constructor(action: string) {
    if (typeof action !== 'string') throw A1Error.wire('Intent action must be a string');
    refuseLoneSurrogate(action, 'Intent action');
    const bytes = utf8(action);
    if (bytes.length === 0) throw A1Error.wire('Intent action cannot be empty');
    if (bytes.length > MAX_ACTION_LEN) throw A1Error.wire(`Intent action exceeds maximum length of ${MAX_ACTION_LEN}`);
    this.action = action;
    this.actionBytes = bytes;
  }

  /** Adds a parameter (normalized); a later duplicate key wins. Throws WireFormatError on a limit. */
  param(key: string, value: string): this {
    if (typeof key !== 'string' || typeof value !== 'string') throw A1Error.wire('Intent parameters must be strings');
    refuseLoneSurrogate(key, 'Intent parameter key');
    refuseLoneSurrogate(value, 'Intent parameter value');
    // The reference checks the count before inserting, so even replacing a key fails at 64.
    if (this.params.size >= MAX_INTENT_PARAMS) {
      throw A1Error.wire(`Intent exceeds maximum parameter count of ${MAX_INTENT_PARAMS}`);
    }
    const k = normalizeParam(key);
    const v = normalizeParam(value);
    const keyBytes = utf8(k);
    if (keyBytes.length > MAX_PARAM_KEY_LEN) {
      throw A1Error.wire(`Intent parameter key exceeds maximum length of ${MAX_PARAM_KEY_LEN}`);
    }
    if (utf8(v).length > MAX_PARAM_VALUE_LEN) {
      throw A1Error.wire(`Intent parameter value exceeds maximum length of ${MAX_PARAM_VALUE_LEN}`);
    }
    this.params.set(k, { keyBytes, value: v });
    return this;
  }

  static from(action: string, params?: IntentParams): Intent {
    const intent = new Intent(action);
    const entries = params === undefined ? [] : Array.isArray(params) ? params : Object.entries(params);
    for (const [k, v] of entries as Iterable<readonly [string, string]>) intent.param(k, v);
    return intent;
  }

  /** Normalized parameters in the reference's order (bytewise by key). */
  sortedParams(): Array<[string, string]> {
    return [...this.params.entries()]
      .sort((a, b) => compareBytes(a[1].keyBytes, b[1].keyBytes))
      .map(([k, { value }]) => [k, value]);
  }

  hash(): Uint8Array {
    const h = deriveKeyHasher('intentLeaf');
    h.update(VERSION).update(INTENT_TAG).update(u64le(this.actionBytes.length)).update(this.actionBytes);
    const sorted = this.sortedParams();
    h.update(u64le(sorted.length));
    for (const [k, v] of sorted) {
      const kb = utf8(k);
      const vb = utf8(v);
      h.update(u64le(kb.length)).update(kb).update(u64le(vb.length)).update(vb);
    }
    return h.digest();
  }

  /** `action` or `action[k=v,…]`, as the reference displays an intent. */
  toString(): string {
    const sorted = this.sortedParams();
    return sorted.length === 0 ? this.action : `${this.action}[${sorted.map(([k, v]) => `${k}=${v}`).join(',')}]`;
  }
}

/**
 * The 32-byte hash of an intent. `params` is a record, or `[key, value]` pairs applied in order
 * (a later duplicate after normalization wins).
 */
export function intentHash(action: string, params?: IntentParams): Uint8Array {
  return Intent.from(action, params).hash();
}

/** The reference's deprecated `intent_hash(action, params)` over raw parameter bytes. */
export function legacyIntentHash(action: string | Uint8Array, paramBytes: Uint8Array): Uint8Array {
  const a = typeof action === 'string' ? utf8(action, 'Intent action') : action;
  return deriveKey('intentLeaf', VERSION, u64le(a.length), a, u64le(paramBytes.length), paramBytes);
}
