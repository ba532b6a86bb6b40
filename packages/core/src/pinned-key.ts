/**
 * The check every signer applies where it pins its key, and core applies to any signer's answer:
 * a KMS answer (compromised, intercepted or simply wrong) that reports a small-order or
 * non-point key would install a root under which one constant signature verifies for every
 * message. Such an answer is an InvalidResponse that no retry fixes.
 */
import { publicKeyProblem } from './ed25519.js';
import { SignerError } from './signer-error.js';

export interface PinnedKeyOwner {
  /** The signer's provider name, e.g. `aws-kms`. */
  provider: string;
  /** The key's ARN, resource name, path or URI, when known. */
  keyId?: string | undefined;
  /** Where the key came from, for the message, e.g. `GetPublicKey answer`; default `verifying key`. */
  source?: string;
}

/**
 * A copy of the 32-byte key when it is a valid Ed25519 public key, else a `SignerError`
 * InvalidResponse (non-retryable for a small-order or non-point key).
 */
export function checkPinnedKey(key: unknown, owner: PinnedKeyOwner): Uint8Array {
  const source = owner.source ?? 'verifying key';
  const fail = (message: string, retryable: boolean) =>
    new SignerError({ provider: owner.provider, keyId: owner.keyId, code: 'InvalidResponse', retryable, message });
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    // A truncated answer may be transient; the signers treat a wrong length as retryable.
    throw fail(`${source} is not 32 bytes (got ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key})`, true);
  }
  // The backend reported this key: asking again gives the same bad key.
  const problem = publicKeyProblem(key);
  if (problem) throw fail(`${source} is ${problem}; refused (under such a key anyone could forge signatures)`, false);
  return Uint8Array.from(key);
}
