/**
 * What `Pkcs11Signer.health()` asks the token, without signing: the token is still present, the
 * session is still logged in, and the key the signer pinned is still there, Ed25519, allowed to
 * sign and holding the same public key.
 */
import pkcs11js from 'pkcs11js';
import { CKS_RO_USER_FUNCTIONS, CKS_RW_USER_FUNCTIONS } from './constants.js';
import type { KeySelector } from './options.js';
import { pkcs11Failure, signerError } from './pkcs11-failure.js';
import { describeKey, findSigningKey } from './signing-key.js';

/** Every signer's `health()` answers this shape; it never throws for a fault. */
export interface SignerHealth {
  ok: boolean;
  /** Time the probe took, in milliseconds. */
  latencyMs: number;
  keyId: string;
  /** What was checked, or what is wrong and what to do. */
  detail: string;
}

export interface HealthTarget {
  api: pkcs11js.PKCS11;
  session: Buffer;
  slot: Buffer;
  key: KeySelector;
  keyId: string;
  tokenName: string;
  publicKey: Uint8Array;
}

/** The detail of a healthy token and key, or a SignerError saying what is wrong. */
export function checkTokenAndKey(target: HealthTarget): string {
  const { api, session, slot, keyId, tokenName } = target;
  let label: string;
  try {
    label = api.C_GetTokenInfo(slot).label.trimEnd();
  } catch (e) {
    throw pkcs11Failure(e, keyId, 'C_GetTokenInfo');
  }
  let state: number;
  try {
    state = api.C_GetSessionInfo(session).state;
  } catch (e) {
    throw pkcs11Failure(e, keyId, 'C_GetSessionInfo');
  }
  if (state !== CKS_RO_USER_FUNCTIONS && state !== CKS_RW_USER_FUNCTIONS) {
    // The same answer C_Sign would give: the recovery path logs in again.
    throw Object.assign(new Error('CKR_USER_NOT_LOGGED_IN'), { code: pkcs11js.CKR_USER_NOT_LOGGED_IN });
  }
  const found = findSigningKey(api, session, target.key, keyId, tokenName);
  const name = describeKey(target.key);
  if (!sameBytes(found.publicKey, target.publicKey)) {
    throw signerError(keyId, 'KeyNotFound', `${name} now holds a different key than at first use`, undefined, false);
  }
  const perSignature = found.alwaysAuthenticate ? '; CKA_ALWAYS_AUTHENTICATE: a PIN per signature' : '';
  return `logged in to token "${label}"; ${name} is an Ed25519 signing key (CKM_EDDSA)${perSignature}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
