/** Lengths core uses: a cert nonce is 16 bytes, a cert fingerprint 32. */
export const NONCE_LENGTH = 16;
export const FINGERPRINT_LENGTH = 32;

/** A wrong-sized id is a caller bug; refusing it keeps odd rows out of the database. */
export function checkLength(id: Uint8Array, length: number, what: string): void {
  if (!(id instanceof Uint8Array) || id.length !== length) {
    throw new TypeError(`${what} must be a ${length}-byte Uint8Array`);
  }
}

/** A Buffer view of the same bytes, which is how `pg` sends a `bytea`. */
export function asBytea(id: Uint8Array): Buffer {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength);
}
