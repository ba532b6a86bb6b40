/**
 * The Ed25519 public key inside Cloud KMS's PEM SPKI answer, parsed by node:crypto rather than
 * by a hand-written prefix check. The PEM must be one PUBLIC KEY block, and its DER exactly what
 * node:crypto writes for an Ed25519 key (so trailing bytes or another encoding are refused).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END PUBLIC KEY-----\r?\n?$/;

/** The raw 32-byte key, or a sentence saying what is wrong with the PEM. */
export function ed25519KeyFromPem(pem: string): Uint8Array | string {
  const match = PEM.exec(pem);
  if (!match) return 'the PEM is not a single PUBLIC KEY block';
  const base64 = match[1]!.replace(/\r?\n/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return 'the PEM body is not base64';
  const der = Buffer.from(base64, 'base64');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return `the PEM body (${der.length} bytes) is not an SPKI (SubjectPublicKeyInfo)`;
  }
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    return `the SPKI holds a ${jwk.crv ?? jwk.kty ?? 'different'} key, not Ed25519 (OID 1.3.101.112)`;
  }
  if (!key.export({ type: 'spki', format: 'der' }).equals(der)) return 'the SPKI is not the canonical 44-byte encoding of an Ed25519 key';
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}
