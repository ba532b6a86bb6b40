/**
 * Cert extensions: a sorted map of string keys to one of three value types, committed into the
 * signed message. Limits follow the reference's `CertExtensions::set`.
 */
import { compareBytes, toU64, u64le, utf8 } from './bytes.js';
import { A1Error } from './errors.js';
import { deriveKeyHasher, TAG } from './hashing.js';

export const MAX_EXTENSION_BYTES = 16384;

export type ExtValue =
  | { type: 'Str'; value: string }
  | { type: 'U64'; value: bigint }
  | { type: 'Strings'; value: string[] };

/** What callers may pass: a tagged value, or a plain string / u64 / string list. */
export type ExtValueInput = ExtValue | string | number | bigint | readonly string[];

export type ExtensionsInput = CertExtensions | ReadonlyMap<string, ExtValueInput> | Readonly<Record<string, ExtValueInput>>;

const VERSION = Uint8Array.of(1);
const EXT_TAG = utf8(TAG.certExt);

export function toExtValue(input: ExtValueInput, key = 'extension'): ExtValue {
  if (typeof input === 'string') return { type: 'Str', value: input };
  if (typeof input === 'number' || typeof input === 'bigint') return { type: 'U64', value: toU64(input, key) };
  if (Array.isArray(input)) {
    if (!input.every((s) => typeof s === 'string')) throw A1Error.wire(`${key}: list values must be strings`);
    return { type: 'Strings', value: [...input] };
  }
  const tagged = fromExternallyTagged(input) ?? (input as ExtValue);
  switch (tagged?.type) {
    case 'Str':
      if (typeof tagged.value === 'string') return { type: 'Str', value: tagged.value };
      break;
    case 'U64':
      return { type: 'U64', value: toU64(tagged.value, key) };
    case 'Strings':
      if (Array.isArray(tagged.value) && tagged.value.every((s) => typeof s === 'string')) {
        return { type: 'Strings', value: [...tagged.value] };
      }
      break;
  }
  throw A1Error.wire(`${key}: extension values are strings, unsigned integers or lists of strings`);
}

/** serde's externally tagged form, `{ "U64": 5 }`, `{ "Str": "x" }`, `{ "Strings": [...] }`. */
function fromExternallyTagged(input: unknown): ExtValue | undefined {
  if (typeof input !== 'object' || input === null || 'type' in input) return undefined;
  const keys = Object.keys(input);
  if (keys.length !== 1 || !['Str', 'U64', 'Strings'].includes(keys[0]!)) return undefined;
  return { type: keys[0], value: (input as Record<string, unknown>)[keys[0]!] } as ExtValue;
}

function budgetOf(key: string, value: ExtValue): number {
  const keyBytes = utf8(key, 'extension key').length;
  const what = `extension "${key}"`;
  switch (value.type) {
    case 'Str':
      return keyBytes + utf8(value.value, what).length;
    case 'U64':
      return keyBytes + 8;
    case 'Strings':
      return keyBytes + value.value.reduce((n, s) => n + utf8(s, what).length, 0);
  }
}

/** Values are frozen when stored, so the cached commitment cannot go stale behind our back. */
function frozen(v: ExtValue): ExtValue {
  if (v.type === 'Strings') Object.freeze(v.value);
  return Object.freeze(v);
}

export class CertExtensions {
  private readonly fields = new Map<string, ExtValue>();
  /** The reference counts every `set`, overwrites included. */
  private bytesUsed = 0;
  private cachedCommitment: Uint8Array | undefined;

  static from(input: ExtensionsInput | undefined): CertExtensions {
    if (input instanceof CertExtensions) return input;
    const ext = new CertExtensions();
    if (input === undefined) return ext;
    const entries = input instanceof Map ? [...input.entries()] : Object.entries(input);
    for (const [k, v] of entries) ext.set(k, v as ExtValueInput);
    return ext;
  }

  /** Without the byte budget: what a parsed cert carries is whatever its signer committed to. */
  static fromParsed(entries: Iterable<[string, ExtValue]>): CertExtensions {
    const ext = new CertExtensions();
    for (const [k, v] of entries) ext.fields.set(k, frozen(v));
    return ext;
  }

  set(key: string, value: ExtValueInput): this {
    if (typeof key !== 'string' || key.length === 0) throw A1Error.wire('extension key must not be empty');
    const v = toExtValue(value, key);
    const used = this.bytesUsed + budgetOf(key, v);
    if (used > MAX_EXTENSION_BYTES) throw A1Error.wire('maximum extension byte limit exceeded');
    this.bytesUsed = used;
    this.fields.set(key, frozen(v));
    this.cachedCommitment = undefined;
    return this;
  }

  get(key: string): ExtValue | undefined {
    return this.fields.get(key);
  }

  get size(): number {
    return this.fields.size;
  }

  /** Entries in the reference's order (bytewise by UTF-8 key). */
  entries(): Array<[string, ExtValue]> {
    return [...this.fields.entries()]
      .map(([k, v]) => ({ k, v, bytes: utf8(k) }))
      .sort((a, b) => compareBytes(a.bytes, b.bytes))
      .map(({ k, v }) => [k, v]);
  }

  commitment(): Uint8Array {
    this.cachedCommitment ??= this.computeCommitment();
    return Uint8Array.from(this.cachedCommitment);
  }

  private computeCommitment(): Uint8Array {
    const h = deriveKeyHasher('certExt');
    h.update(VERSION).update(EXT_TAG);
    const entries = this.entries();
    h.update(u64le(entries.length));
    for (const [key, value] of entries) {
      const kb = utf8(key);
      h.update(u64le(kb.length)).update(kb);
      switch (value.type) {
        case 'Str': {
          const s = utf8(value.value);
          h.update(Uint8Array.of(0)).update(u64le(s.length)).update(s);
          break;
        }
        case 'U64':
          h.update(Uint8Array.of(1)).update(u64le(value.value));
          break;
        case 'Strings':
          h.update(Uint8Array.of(2)).update(u64le(value.value.length));
          for (const item of value.value) {
            const s = utf8(item);
            h.update(u64le(s.length)).update(s);
          }
          break;
      }
    }
    return h.digest();
  }
}

export function extensionsCommitment(fields: ExtensionsInput = {}): Uint8Array {
  return CertExtensions.from(fields).commitment();
}
