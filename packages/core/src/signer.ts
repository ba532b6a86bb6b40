/**
 * The two signing contracts. Bytes in, bytes out: a signer signs exactly the 32-byte
 * signable message of a cert with pure Ed25519 (RFC 8032) and returns the 64-byte signature.
 */

/** A signer whose key lives in this process (LocalSigner, tests). */
export interface Signer {
  /** 32-byte Ed25519 public key. */
  verifyingKey(): Uint8Array;
  /** 64-byte Ed25519 signature over `message`. */
  signMessage(message: Uint8Array): Uint8Array;
}

export interface SignOptions {
  signal?: AbortSignal;
}

/** A signer whose key lives in a KMS, HSM or remote service. */
export interface AsyncSigner {
  /** 32-byte Ed25519 public key; fetched once, then cached. */
  verifyingKey(): Promise<Uint8Array>;
  /** 64-byte Ed25519 signature over `message`. */
  signMessage(message: Uint8Array, opts?: SignOptions): Promise<Uint8Array>;
  /** ARN, resource name, vault path or PKCS#11 URI, for provenance. */
  readonly keyId?: string;
  /** Release sessions and sockets. */
  close?(): Promise<void>;
}

/** Backend name, when a signer tells it (our signers do); used in `SignerError.provider`. */
export function providerOf(signer: Signer | AsyncSigner): string {
  const named = (signer as { provider?: unknown }).provider;
  if (typeof named === 'string' && named.length > 0) return named;
  return signer.constructor?.name ?? 'signer';
}
