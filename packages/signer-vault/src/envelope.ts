/**
 * Vault's signature envelope `vault:v<N>:<base64>`: the version says which key version signed,
 * which is what lets the signer refuse a signature from a version it has no public key for.
 */
export interface VaultSignature {
  version: number;
  signature: Uint8Array;
}

const ENVELOPE = /^vault:v([1-9]\d{0,9}):((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

/** Parses an envelope; undefined when it is not one (the caller names what was wrong). */
export function parseVaultSignature(text: unknown): VaultSignature | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ENVELOPE.exec(text);
  if (!m) return undefined;
  return { version: Number(m[1]), signature: new Uint8Array(Buffer.from(m[2]!, 'base64')) };
}
