/** PKCS#11 handles and CK_ULONG attributes arrive as native-endian byte buffers. */
import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

/** A CK_ULONG (handle, slot ID, key type) as a number; `undefined` when it does not fit in one. */
export function ulongOf(bytes: Uint8Array): number | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 8) {
    const value = LITTLE_ENDIAN ? buffer.readBigUInt64LE() : buffer.readBigUInt64BE();
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  if (buffer.length === 4) return LITTLE_ENDIAN ? buffer.readUInt32LE() : buffer.readUInt32BE();
  return undefined;
}

/** A stable map key for a slot or handle buffer. */
export function handleKey(handle: Uint8Array): string {
  return Buffer.from(handle.buffer, handle.byteOffset, handle.byteLength).toString('hex');
}
