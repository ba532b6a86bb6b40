/** Typed reads from a parsed JSON tree; every failure is a WireFormatError naming the JSON path. */
import { fromHex } from './bytes.js';
import { A1Error } from './errors.js';
import { JsonNumber, JsonObject, type JsonValue } from './json-text.js';

const U64_MAX = (1n << 64n) - 1n;

export function wireError(path: string, what: string): A1Error {
  return A1Error.wire(path ? `${path}: ${what}` : what);
}

function kindOf(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return 'a number';
  if (v instanceof JsonObject) return 'an object';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

export function readObject(v: JsonValue | undefined, path: string): JsonObject {
  if (!(v instanceof JsonObject)) throw wireError(path, `expected an object, found ${kindOf(v)}`);
  return v;
}

export function readArray(v: JsonValue | undefined, path: string, maxItems = Number.POSITIVE_INFINITY): JsonValue[] {
  if (!Array.isArray(v)) throw wireError(path, `expected an array, found ${kindOf(v)}`);
  if (v.length > maxItems) throw wireError(path, `at most ${maxItems} items allowed, found ${v.length}`);
  return v;
}

export function readString(v: JsonValue | undefined, path: string): string {
  if (typeof v !== 'string') throw wireError(path, `expected a string, found ${kindOf(v)}`);
  return v;
}

export function readBool(v: JsonValue | undefined, path: string): boolean {
  if (typeof v !== 'boolean') throw wireError(path, `expected a boolean, found ${kindOf(v)}`);
  return v;
}

/** A non-negative integer token that fits in `max`; fractions, exponents and signs are refused. */
export function readUnsigned(v: JsonValue | undefined, path: string, max: bigint = U64_MAX): bigint {
  if (!(v instanceof JsonNumber)) throw wireError(path, `expected an unsigned integer, found ${kindOf(v)}`);
  if (!/^(0|[1-9][0-9]*)$/.test(v.raw)) throw wireError(path, `expected an unsigned integer, found ${v.raw.slice(0, 40)}`);
  if (v.raw.length > 20 || BigInt(v.raw) > max) throw wireError(path, `${v.raw.slice(0, 40)} is out of range (max ${max})`);
  return BigInt(v.raw);
}

export function readU8(v: JsonValue | undefined, path: string): number {
  return Number(readUnsigned(v, path, 255n));
}

/** u64 given as a number or, in the hex schema form, a decimal string. */
export function readU64Lenient(v: JsonValue | undefined, path: string): bigint {
  if (typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v)) return readUnsigned(new JsonNumber(v), path);
  return readUnsigned(v, path);
}

/** Bytes as serde writes `[u8; N]`: an array of N numbers 0–255. */
export function readByteArray(v: JsonValue | undefined, length: number, path: string): Uint8Array {
  if (!Array.isArray(v)) throw wireError(path, `expected an array of ${length} bytes, found ${kindOf(v)}`);
  if (v.length !== length) throw wireError(path, `expected ${length} bytes, found ${v.length}`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const item = v[i];
    // Fast path for the common case (1–3 plain digits, no leading zero); the general reader names the error.
    const byte = item instanceof JsonNumber ? smallUnsigned(item.raw) : -1;
    out[i] = byte >= 0 && byte <= 255 ? byte : readU8(item, `${path}[${i}]`);
  }
  return out;
}

function smallUnsigned(raw: string): number {
  if (raw.length === 0 || raw.length > 3 || (raw.length > 1 && raw.charCodeAt(0) === 48)) return -1;
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export function readHexBytes(v: JsonValue | undefined, length: number, path: string): Uint8Array {
  const hex = readString(v, path);
  const bytes = fromHex(hex, path);
  if (bytes.length !== length) throw wireError(path, `expected ${length} bytes of hex, found ${bytes.length}`);
  return bytes;
}

export function requireField(obj: JsonObject, key: string, path: string): JsonValue {
  const v = obj.get(key);
  if (v === undefined) throw wireError(path, `missing field \`${key}\``);
  return v;
}

export function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}
