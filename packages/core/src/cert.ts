/** DelegationCert: one signed hop of authority, and the hashes computed over it. */
import { u64be, utf8 } from './bytes.js';
import { verifyEd25519 } from './ed25519.js';
import { deriveKey, deriveKeyHasher, TAG } from './hashing.js';
import type { CertExtensions } from './extensions.js';
import type { SubScopeProof } from './subscope.js';

export const CERT_VERSION = 1;
export const DEFAULT_MAX_DEPTH = 16;

export interface DelegationCert {
  version: number;
  delegatorPk: Uint8Array;
  delegatePk: Uint8Array;
  scopeRoot: Uint8Array;
  scopeProof: SubScopeProof;
  /** 16 bytes; single-use. */
  nonce: Uint8Array;
  issuedAt: bigint;
  expirationUnix: bigint;
  /** 0–255; bounds the absolute chain position of later hops. */
  maxDepth: number;
  extensions: CertExtensions;
  signature: Uint8Array;
}

/** The fields a signer commits to (everything but the signature). */
export type UnsignedCert = Omit<DelegationCert, 'signature'>;

const SIG_TAG = utf8(TAG.certSig);
const FP_TAG = utf8(TAG.certFp);

/** The 32 bytes that Ed25519 signs. */
export function signableBytes(cert: UnsignedCert): Uint8Array {
  const h = deriveKeyHasher('certSig');
  h.update(Uint8Array.of(cert.version & 0xff))
    .update(SIG_TAG)
    .update(cert.delegatorPk)
    .update(cert.delegatePk)
    .update(cert.scopeRoot)
    .update(cert.scopeProof.commitment())
    .update(cert.nonce)
    .update(u64be(cert.issuedAt))
    .update(u64be(cert.expirationUnix))
    .update(Uint8Array.of(cert.maxDepth & 0xff))
    .update(cert.extensions.commitment());
  return h.digest();
}

/** Identifies a cert for revocation; covers only the signature, as in the reference. */
export function certFingerprint(cert: Pick<DelegationCert, 'version' | 'signature'>): Uint8Array {
  return deriveKey('certFp', Uint8Array.of(cert.version & 0xff), FP_TAG, cert.signature);
}

export function verifyCertSignature(cert: DelegationCert): boolean {
  return verifyEd25519(cert.delegatorPk, signableBytes(cert), cert.signature);
}
