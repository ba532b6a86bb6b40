/** Hex input as upstream's `hex` crate reads it: either case, no prefix; its error texts. */
import { fromHex } from '@a1/core';

/** The hex crate's Display text for `text`, or undefined when it decodes. Odd length is checked first, as the crate does. */
export function hexProblem(text: string): string | undefined {
  if (text.length % 2 !== 0) return 'Odd number of digits';
  const bad = /[^0-9a-fA-F]/.exec(text);
  return bad ? `Invalid character '${bad[0]}' at position ${bad.index}` : undefined;
}

/** Bytes of `text`, which `hexProblem` has accepted. */
export function hexBytes(text: string): Uint8Array {
  return fromHex(text, 'hex');
}

/** Bytes when `text` is hex of exactly `length` bytes, else undefined. */
export function fixedHex(text: string, length: number): Uint8Array | undefined {
  if (text.length !== 2 * length || hexProblem(text) !== undefined) return undefined;
  return hexBytes(text);
}
