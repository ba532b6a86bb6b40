/**
 * The first-use check: a Key Vault key is usable only if it is an Ed25519 signing key
 * (`kty` `OKP`/`OKP-HSM`, `crv` `Ed25519`, the Managed HSM preview contract). Anything else is
 * refused with a message that says what the key is and what to use instead.
 */
import { checkPinnedKey, SignerError } from '@a1/core';
import type { KeyVaultKey } from '@azure/keyvault-keys';
import { PROVIDER } from './errors.js';

export const NO_ED25519_ON_GA =
  'generally available Azure Key Vault offers no Ed25519 keys (only the OKP/Ed25519 Managed HSM preview does); ' +
  'for Ed25519 on Azure use Azure Cloud HSM through @a1/signer-pkcs11';

const OKP_TYPES: ReadonlySet<string> = new Set(['OKP', 'OKP-HSM']);

/** "EC P-256", "RSA 2048", "OKP X25519", "oct" — what the key is, in one phrase. */
export function describeKeyKind(key: KeyVaultKey): string {
  const jwk = key.key;
  const kty = jwk?.kty ?? key.keyType ?? 'unknown type';
  if (jwk?.crv) return `${kty} ${jwk.crv}`;
  if (jwk?.n instanceof Uint8Array && jwk.n.length > 0) {
    // The modulus size in bits, ignoring a leading zero byte.
    const leadingZero = jwk.n[0] === 0 ? 1 : 0;
    return `${kty} ${(jwk.n.length - leadingZero) * 8}`;
  }
  return String(kty);
}

function versionOf(key: KeyVaultKey): string {
  return key.properties?.version ? ` (version ${key.properties.version})` : '';
}

/** The 32-byte public key of an Ed25519 signing key, or a `SignerError` saying why not. */
export function ed25519PublicKeyOf(key: KeyVaultKey, keyId: string): Uint8Array {
  const jwk = key.key;
  const kind = describeKeyKind(key);
  if (!jwk?.kty || !OKP_TYPES.has(jwk.kty) || jwk.crv !== 'Ed25519') {
    throw new SignerError({
      provider: PROVIDER,
      keyId,
      code: 'WrongKeyType',
      message: `key${versionOf(key)} is ${kind}, not Ed25519 (kty OKP, crv Ed25519): ${NO_ED25519_ON_GA}`,
    });
  }
  if (jwk.keyOps && !jwk.keyOps.includes('sign')) {
    throw new SignerError({
      provider: PROVIDER,
      keyId,
      code: 'WrongKeyType',
      message: `key${versionOf(key)} is ${kind} but its key_ops (${jwk.keyOps.join(', ') || 'none'}) do not include sign`,
    });
  }
  if (!(jwk.x instanceof Uint8Array) || jwk.x.length !== 32) {
    const got = jwk.x instanceof Uint8Array ? `${jwk.x.length} bytes` : 'no x member';
    throw new SignerError({
      provider: PROVIDER,
      keyId,
      code: 'InvalidResponse',
      message: `Key Vault returned an Ed25519 key with ${got}; the public key must be 32 bytes`,
    });
  }
  // A small-order or non-point key (a compromised or intercepted answer) would let anyone forge certs.
  return checkPinnedKey(new Uint8Array(jwk.x), { provider: PROVIDER, keyId, source: `Key Vault's Ed25519 key${versionOf(key)}` });
}
