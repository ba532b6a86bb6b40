/**
 * Finding the private key the options name, checking it is an Ed25519 signing key, and reading
 * its public half (from the public twin, or `CKA_PUBLIC_KEY_INFO` when the token has no twin).
 */
import pkcs11js from 'pkcs11js';
import { CKA_PUBLIC_KEY_INFO, CKK_EC_EDWARDS } from './constants.js';
import { curveName, ed25519KeyFromEcPoint, ed25519KeyFromSpki, isEdwards25519Params } from './ed25519-attributes.js';
import { ulongOf } from './handles.js';
import type { KeySelector } from './options.js';
import { pkcs11Failure, signerError } from './pkcs11-failure.js';

export interface SigningKey {
  /** Valid until the sessions are closed; found again after a recovery. */
  privateKey: Buffer;
  publicKey: Uint8Array;
  /**
   * `CKA_ALWAYS_AUTHENTICATE` (PIV cards, some HSM policies): the user must log in again,
   * context-specifically, after each `C_SignInit`; without it `C_Sign` answers
   * `CKR_USER_NOT_LOGGED_IN` (PKCS#11 2.40 §5.1.7 / 4.9, "Private key objects").
   */
  alwaysAuthenticate: boolean;
}

const KEY_TYPE_NAMES: Record<number, string> = {
  [pkcs11js.CKK_RSA]: 'an RSA key (CKK_RSA)',
  [pkcs11js.CKK_DSA]: 'a DSA key (CKK_DSA)',
  [pkcs11js.CKK_DH]: 'a DH key (CKK_DH)',
  [pkcs11js.CKK_EC]: 'an EC key (CKK_EC)',
};

/** How the key reads in messages, e.g. `key "root" (id 01)`. */
export function describeKey(selector: KeySelector): string {
  const parts: string[] = [];
  if (selector.label !== undefined) parts.push(`"${selector.label}"`);
  if (selector.id !== undefined) parts.push(`(id ${Buffer.from(selector.id).toString('hex')})`);
  return `key ${parts.join(' ')}`;
}

function findObjects(api: pkcs11js.PKCS11, session: Buffer, template: pkcs11js.Template, keyId: string | undefined): Buffer[] {
  try {
    api.C_FindObjectsInit(session, template);
  } catch (e) {
    throw pkcs11Failure(e, keyId, 'C_FindObjectsInit');
  }
  try {
    return api.C_FindObjects(session, 2);
  } catch (e) {
    throw pkcs11Failure(e, keyId, 'C_FindObjects');
  } finally {
    try {
      api.C_FindObjectsFinal(session);
    } catch {
      // a failed search already reported its own error
    }
  }
}

function attribute(api: pkcs11js.PKCS11, session: Buffer, object: Buffer, type: number, keyId: string | undefined): Buffer | undefined {
  try {
    return api.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
  } catch (e) {
    const failure = pkcs11Failure(e, keyId, 'C_GetAttributeValue');
    // Attribute absent or unreadable on this object: the caller decides what that means.
    if (/CKR_ATTRIBUTE_(TYPE_INVALID|SENSITIVE)/.test(failure.message)) return undefined;
    throw failure;
  }
}

function selectorTemplate(selector: KeySelector, objectClass: number): pkcs11js.Template {
  const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: objectClass }];
  if (selector.label !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: selector.label });
  if (selector.id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(selector.id) });
  return template;
}

function wrongKeyType(keyId: string | undefined, name: string, what: string): never {
  throw signerError(keyId, 'WrongKeyType', `${name} is ${what}, not an Ed25519 key (CKK_EC_EDWARDS on edwards25519)`, undefined, false);
}

export function findSigningKey(
  api: pkcs11js.PKCS11,
  session: Buffer,
  selector: KeySelector,
  keyId: string | undefined,
  tokenName: string,
): SigningKey {
  const name = describeKey(selector);
  const found = findObjects(api, session, selectorTemplate(selector, pkcs11js.CKO_PRIVATE_KEY), keyId);
  if (found.length === 0) {
    throw signerError(keyId, 'KeyNotFound', `no private ${name} on ${tokenName}`, undefined, false);
  }
  if (found.length > 1) {
    throw signerError(keyId, 'Misconfigured', `more than one private ${name} on ${tokenName}; add id= or a unique label`, undefined, false);
  }
  const privateKey = found[0]!;

  const keyTypeBytes = attribute(api, session, privateKey, pkcs11js.CKA_KEY_TYPE, keyId);
  const keyType = keyTypeBytes ? ulongOf(keyTypeBytes) : undefined;
  if (keyType !== CKK_EC_EDWARDS) {
    let what = keyType === undefined ? 'a key of unknown type' : KEY_TYPE_NAMES[keyType] ?? `a key of type 0x${keyType.toString(16)}`;
    if (keyType === pkcs11js.CKK_EC) {
      const params = attribute(api, session, privateKey, pkcs11js.CKA_EC_PARAMS, keyId);
      if (params) what = `an EC key on ${curveName(params)} (CKK_EC)`;
    }
    wrongKeyType(keyId, name, what);
  }
  const params = attribute(api, session, privateKey, pkcs11js.CKA_EC_PARAMS, keyId);
  if (params && !isEdwards25519Params(params)) wrongKeyType(keyId, name, `an EdDSA key on ${curveName(params)}`);
  const canSign = attribute(api, session, privateKey, pkcs11js.CKA_SIGN, keyId);
  if (canSign && canSign[0] === 0) {
    throw signerError(keyId, 'WrongKeyType', `${name} is Ed25519 but not allowed to sign (CKA_SIGN is false)`, undefined, false);
  }

  const alwaysAuthenticate = attribute(api, session, privateKey, pkcs11js.CKA_ALWAYS_AUTHENTICATE, keyId);
  return {
    privateKey,
    publicKey: readPublicKey(api, session, privateKey, selector, keyId, name),
    alwaysAuthenticate: alwaysAuthenticate !== undefined && alwaysAuthenticate[0] === 1,
  };
}

function readPublicKey(
  api: pkcs11js.PKCS11,
  session: Buffer,
  privateKey: Buffer,
  selector: KeySelector,
  keyId: string | undefined,
  name: string,
): Uint8Array {
  // The twin shares CKA_ID (the usual pairing) or, lacking an id, the label.
  const id = attribute(api, session, privateKey, pkcs11js.CKA_ID, keyId);
  const twinSelector: KeySelector = id && id.length > 0 ? { id } : { label: selector.label };
  const twins = findObjects(api, session, [
    ...selectorTemplate(twinSelector, pkcs11js.CKO_PUBLIC_KEY),
    { type: pkcs11js.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
  ], keyId);
  if (twins.length === 1) {
    const params = attribute(api, session, twins[0]!, pkcs11js.CKA_EC_PARAMS, keyId);
    if (params && !isEdwards25519Params(params)) wrongKeyType(keyId, `public twin of ${name}`, `on ${curveName(params)}`);
    const point = attribute(api, session, twins[0]!, pkcs11js.CKA_EC_POINT, keyId);
    const publicKey = point && ed25519KeyFromEcPoint(point, keyId);
    if (!publicKey) {
      throw signerError(keyId, 'InvalidResponse', `public twin of ${name} has a CKA_EC_POINT that is not an Ed25519 point`, undefined, false);
    }
    return publicKey;
  }
  const spki = attribute(api, session, privateKey, CKA_PUBLIC_KEY_INFO, keyId);
  const publicKey = spki && ed25519KeyFromSpki(spki, keyId);
  if (publicKey) return publicKey;
  throw signerError(
    keyId,
    'KeyNotFound',
    twins.length === 0
      ? `${name} has no public key object with the same CKA_ID or label, and no CKA_PUBLIC_KEY_INFO`
      : `${name} has ${twins.length} matching public key objects; give the key a unique CKA_ID`,
    undefined,
    false,
  );
}
