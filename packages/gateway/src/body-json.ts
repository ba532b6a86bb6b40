/**
 * Request JSON, exact for u64. `JSON.parse` is exact for the common body (every number a
 * non-negative integer of at most 15 digits, all below 2^53) and much faster than any JS parser,
 * so it is used whenever a scan of the number tokens shows that; any other body (a large integer,
 * a sign, a fraction or an exponent anywhere) is read by lossless-json, which keeps such numbers as
 * their source text, and serde's distinctions (u64 vs float, out of range) can then be made exactly.
 */
import { isLosslessNumber, LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';

export { isLosslessNumber, LosslessNumber };

const U64_MAX = (1n << 64n) - 1n;
const SMALL_INTEGER = /^[0-9]{1,15}$/;

/** A body that is not JSON (→ 400, §1.6). */
export class BodySyntaxError extends Error {
  override readonly name = 'BodySyntaxError';
}

export interface ParsedBody {
  value: unknown;
  /** True when numbers other than small integers may be LosslessNumber instances. */
  lossless: boolean;
}

/** True when every number token outside strings is a non-negative integer of at most 15 digits. */
export function onlySmallIntegers(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string, escapes included.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
    } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      const start = i;
      let digits = true;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 0x30 && d <= 0x39) i++;
        else if (d === 0x2d || d === 0x2b || d === 0x2e || d === 0x65 || d === 0x45) {
          digits = false;
          i++;
        } else break;
      }
      if (!digits || i - start > 15) return false;
    } else i++;
  }
  return true;
}

export function parseBody(text: string): ParsedBody {
  try {
    if (onlySmallIntegers(text)) return { value: JSON.parse(text), lossless: false };
    const value = parseLossless(text, null, {
      parseNumber: (s) => (SMALL_INTEGER.test(s) ? Number(s) : new LosslessNumber(s)),
      // Last one wins, as JSON.parse does on the fast path: one rule for every body.
      onDuplicateKey: ({ newValue }) => newValue,
    });
    return { value, lossless: true };
  } catch (error) {
    throw new BodySyntaxError(error instanceof Error ? error.message : String(error));
  }
}

/** JSON text of a parsed value, numbers exactly as they were sent. */
export function jsonText(value: unknown, lossless: boolean): string {
  return lossless ? (stringifyLossless(value) ?? 'null') : JSON.stringify(value);
}

/** A u64 from a parsed number (validated by the `u64` schema keyword first). */
export function toU64(value: unknown): bigint {
  if (typeof value === 'number') return BigInt(value);
  if (isLosslessNumber(value)) return BigInt(value.value);
  throw new TypeError('not a u64');
}

/** The `u64` JSON-schema keyword: a non-negative integer up to 2^64 − 1, kept exact. */
export function isU64Json(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  if (!isLosslessNumber(value)) return false;
  return /^(0|[1-9][0-9]{0,19})$/.test(value.value) && BigInt(value.value) <= U64_MAX;
}
