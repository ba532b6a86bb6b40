/**
 * What `health()` answers: never thrown for a backend fault, always this shape. (The same shape
 * every A1 signer answers; it belongs in @a1/core once core defines it.)
 */
export interface SignerHealth {
  ok: boolean;
  /** Time the probe took, in milliseconds. */
  latencyMs: number;
  keyId: string;
  /** What was checked, or the error code and what is wrong. */
  detail: string;
}

const ED25519 = 'EC_SIGN_ED25519';
/** CryptoKeyVersionAlgorithm / CryptoKeyVersionState numbers, in case enums arrive as numbers. */
const ED25519_NUMBER = 40;
const ENABLED_NUMBER = 1;

/** Why a GetCryptoKeyVersion answer is not a version A1 can sign with now, or undefined when it is. */
export function versionProblem(keyId: string, version: { name?: unknown; state?: unknown; algorithm?: unknown } | undefined): string | undefined {
  if (!version || typeof version !== 'object') return 'InvalidResponse: GetCryptoKeyVersion returned no answer';
  if (version.name !== keyId) return `InvalidResponse: GetCryptoKeyVersion answered for another key version (${String(version.name)})`;
  if (version.algorithm !== ED25519 && version.algorithm !== ED25519_NUMBER) {
    return `WrongKeyType: the key is ${String(version.algorithm)}, not ${ED25519}`;
  }
  if (version.state !== 'ENABLED' && version.state !== ENABLED_NUMBER) {
    const transient = version.state === 'PENDING_GENERATION';
    return `${transient ? 'Unavailable' : 'BackendError'}: the key version is ${String(version.state)}${transient ? ' (still being generated)' : ''}, not ENABLED`;
  }
  return undefined;
}
