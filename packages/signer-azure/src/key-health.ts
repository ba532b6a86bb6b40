/**
 * Whether a fetched key can sign now: enabled, inside its nbf / exp window (the service refuses
 * sign outside it with 403), and an Ed25519 signing key. Shared by first use and `health()`.
 */
import { SignerError } from '@a1/core';
import type { KeyVaultKey } from '@azure/keyvault-keys';
import { ed25519PublicKeyOf } from './ed25519-key.js';
import { PROVIDER } from './errors.js';

/** What `health()` answers: never thrown, always this shape. */
export interface KeyHealth {
  ok: boolean;
  /** Time the probe took, in milliseconds. */
  latencyMs: number;
  keyId: string;
  /** What was checked, or what is wrong and what to do. */
  detail: string;
}

/** The key's 32-byte public key, or a `SignerError` saying why it cannot sign now. */
export function checkKeyUsable(key: KeyVaultKey, keyId: string, now: Date = new Date()): Uint8Array {
  const version = key.properties?.version;
  const denied = (message: string) => new SignerError({ provider: PROVIDER, keyId, code: 'AccessDenied', retryable: false, message });
  if (key.properties?.enabled === false) {
    throw denied(`key version ${version} is disabled in Key Vault; enable it (az keyvault key set-attributes --enabled true) or pin another version`);
  }
  const { notBefore, expiresOn } = key.properties ?? {};
  if (notBefore && now < notBefore) throw denied(`key version ${version} is not valid before ${notBefore.toISOString()} (nbf); Key Vault refuses to sign with it until then`);
  if (expiresOn && now >= expiresOn) throw denied(`key version ${version} expired at ${expiresOn.toISOString()} (exp); extend its expiry or rotate to a new version`);
  return ed25519PublicKeyOf(key, keyId);
}
