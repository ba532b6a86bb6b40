/**
 * The Ed25519 public key inside Cloud KMS's PEM SPKI answer. The SPKI of an Ed25519 key is
 * always 44 bytes: a fixed 12-byte prefix (SEQUENCE, AlgorithmIdentifier with OID 1.3.101.112,
 * BIT STRING header) followed by the 32-byte key, so a prefix check parses it exactly.
 */
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END PUBLIC KEY-----\r?\n?$/;

/** The raw 32-byte key, or a sentence saying what is wrong with the PEM. */
export function ed25519KeyFromPem(pem: string): Uint8Array | string {
  const match = PEM.exec(pem);
  if (!match) return 'the PEM is not a single PUBLIC KEY block';
  const base64 = match[1]!.replace(/\r?\n/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return 'the PEM body is not base64';
  const der = Buffer.from(base64, 'base64');
  if (der.length !== ED25519_SPKI_PREFIX.length + 32) return `the SPKI is ${der.length} bytes, not the 44 of an Ed25519 key`;
  if (!ED25519_SPKI_PREFIX.every((byte, i) => der[i] === byte)) return 'the SPKI does not carry the Ed25519 OID 1.3.101.112';
  return new Uint8Array(der.subarray(ED25519_SPKI_PREFIX.length));
}
