/** Lengths core uses: a cert nonce is 16 bytes, a cert fingerprint 32. */
export const NONCE_LENGTH = 16;
export const FINGERPRINT_LENGTH = 32;

/** A wrong-sized id is a caller bug; refusing it keeps odd keys out of Redis. */
export function checkLength(id: Uint8Array, length: number, what: string): void {
  if (!(id instanceof Uint8Array) || id.length !== length) {
    throw new TypeError(`${what} must be a ${length}-byte Uint8Array`);
  }
}
