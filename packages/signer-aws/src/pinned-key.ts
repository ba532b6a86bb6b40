/**
 * What first use learns from `GetPublicKey` and pins for the signer's life: the key's ARN and
 * its raw Ed25519 public key, after checking the key is one A1 can use.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { checkPinnedKey, SignerError } from '@a1/core';
import type { GetPublicKeyCommandOutput } from '@aws-sdk/client-kms';
import { AWS_KMS_PROVIDER } from './key-id.js';

export interface PinnedKey {
  /** The key ARN KMS resolved the configured key id to. */
  arn: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export const ED25519_KEY_SPEC = 'ECC_NIST_EDWARDS25519';
export const PURE_ED25519 = 'ED25519_SHA_512';
/**
 * The raw 32-byte key of an Ed25519 SubjectPublicKeyInfo (DER), parsed by node:crypto rather than
 * by hand; undefined for anything else. The DER must also be exactly what node:crypto writes for
 * that key, so trailing bytes or another encoding of the same key are refused too.
 */
export function parseEd25519Spki(der: Uint8Array): Uint8Array | undefined {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return undefined;
  if (!key.export({ type: 'spki', format: 'der' }).equals(Buffer.from(der))) return undefined;
  const raw = Buffer.from(jwk.x, 'base64url');
  return raw.length === 32 ? new Uint8Array(raw) : undefined;
}

export function pinKey(keyId: string, answer: GetPublicKeyCommandOutput): PinnedKey {
  const arn = answer.KeyId;
  const keyName = arn && arn !== keyId ? `${keyId} (${arn})` : keyId;
  const fail = (code: 'WrongKeyType' | 'InvalidResponse', message: string) =>
    new SignerError({ provider: AWS_KMS_PROVIDER, keyId, code, retryable: code === 'InvalidResponse', message });

  if (answer.KeySpec !== ED25519_KEY_SPEC || answer.KeyUsage !== 'SIGN_VERIFY') {
    throw fail(
      'WrongKeyType',
      `${keyName} is a ${answer.KeySpec ?? 'unknown-spec'} key with usage ${answer.KeyUsage ?? 'unknown'}, not an Ed25519 signing key. ` +
        `A1 needs KeySpec ${ED25519_KEY_SPEC} with KeyUsage SIGN_VERIFY: ` +
        `aws kms create-key --key-spec ${ED25519_KEY_SPEC} --key-usage SIGN_VERIFY`,
    );
  }
  if (!answer.SigningAlgorithms?.includes(PURE_ED25519)) {
    throw fail(
      'WrongKeyType',
      `${keyName} does not offer ${PURE_ED25519} (offers ${answer.SigningAlgorithms?.join(', ') || 'none'}); A1 needs pure Ed25519`,
    );
  }
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw fail('InvalidResponse', 'GetPublicKey answer has no key ARN');
  const publicKey = answer.PublicKey instanceof Uint8Array ? parseEd25519Spki(answer.PublicKey) : undefined;
  if (!publicKey) {
    throw fail(
      'InvalidResponse',
      `GetPublicKey answer for ${keyName} is not a 44-byte Ed25519 SubjectPublicKeyInfo (got ${answer.PublicKey?.length ?? 0} bytes)`,
    );
  }
  // A small-order or non-point key would let one constant signature verify for every message: a
  // KMS answer carrying one is compromised or forged, never a key to pin. Core's shared check
  // (InvalidResponse, not retryable), as every signer applies where it pins its key.
  const pinned = checkPinnedKey(publicKey, { provider: AWS_KMS_PROVIDER, keyId, source: `GetPublicKey answer for ${keyName}` });
  return { arn, publicKey: pinned };
}
