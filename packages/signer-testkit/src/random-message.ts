import { randomBytes } from 'node:crypto';

/** Random bytes to sign; 32 by default, the size of an A1 cert's signable message. */
export function randomMessage(length = 32): Uint8Array {
  return new Uint8Array(randomBytes(length));
}
