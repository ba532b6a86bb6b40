/** Byte helpers used across the format: hex, concatenation, comparison, fixed-width integers. */
import { A1Error } from './errors.js';

const HEX = '0123456789abcdef';
const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i]!]!;
  return out;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Decodes hex (either case, like the reference's `hex` crate). `what` names the field in errors,
 * whose wording follows the reference (`Invalid character 'z' at position 0`).
 */
export function fromHex(hex: string, what: string): Uint8Array {
  for (let i = 0; i < hex.length; i++) {
    if (nibble(hex.charCodeAt(i)) < 0) {
      throw A1Error.wire(`${what}: Invalid character '${hex[i]}' at position ${i}`);
    }
  }
  if (hex.length % 2 !== 0) throw A1Error.wire(`${what}: Odd number of digits`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }
  return out;
}

/** Hex of exactly `length` bytes, else `<what> must be N bytes`. */
export function fromHexFixed(hex: string, length: number, what: string): Uint8Array {
  const bytes = fromHex(hex, what);
  if (bytes.length !== length) throw A1Error.wire(`${what} must be ${length} bytes`);
  return bytes;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Bytewise (lexicographic) order, as Rust orders `[u8; N]` and `String` keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const U64_MAX = (1n << 64n) - 1n;

/** Accepts a u64 as number or bigint; anything else (negative, fractional, too large) is a WireFormatError. */
export function toU64(value: number | bigint, what: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw A1Error.wire(`${what} must be an unsigned 64-bit integer (got ${value}); pass a bigint above 2^53`);
    }
    return BigInt(value);
  }
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
    throw A1Error.wire(`${what} must be an unsigned 64-bit integer`);
  }
  return value;
}

const TWO_32 = 2 ** 32;

/** Low and high 32-bit halves; lengths (numbers) skip BigInt arithmetic, which allocates. */
function halves(n: bigint | number): [number, number] {
  if (typeof n === 'number') return [n >>> 0, Math.floor(n / TWO_32) >>> 0];
  return [Number(n & 0xffffffffn), Number((n >> 32n) & 0xffffffffn)];
}

export function u64le(n: bigint | number): Uint8Array {
  const [lo, hi] = halves(n);
  return Uint8Array.of(lo, lo >>> 8, lo >>> 16, lo >>> 24, hi, hi >>> 8, hi >>> 16, hi >>> 24);
}

export function u64be(n: bigint | number): Uint8Array {
  const [lo, hi] = halves(n);
  return Uint8Array.of(hi >>> 24, hi >>> 16, hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo);
}

const encoder = new TextEncoder();
// With the `u` flag a surrogate pair is one code point, so this matches only lone surrogates.
const LONE_SURROGATE = /\p{Cs}/u;
// String.prototype.isWellFormed (ES2024) where the runtime has it; the regex elsewhere.
const nativeWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const wellFormed = (s: string): boolean => (nativeWellFormed ? nativeWellFormed.call(s) : !LONE_SURROGATE.test(s));

/**
 * UTF-8 of text that enters signed or hashed bytes. Strict, like a fatal encoder: TextEncoder
 * would write a lone surrogate as U+FFFD, so two different strings would share one signature (a
 * tenant's namespace swapped for another's under the same signed bytes). Every text on its way
 * into a hash goes through here, so refusing here covers every path.
 */
export function utf8(s: string, what = 'text'): Uint8Array {
  if (!wellFormed(s)) throw A1Error.wire(`${what} contains a lone surrogate (not valid Unicode text)`);
  return encoder.encode(s);
}

/** Copies and checks length: callers never keep a reference to caller-owned buffers. */
export function fixedBytes(value: Uint8Array, length: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw A1Error.wire(`${what} must be ${length} bytes`);
  }
  return Uint8Array.from(value);
}
