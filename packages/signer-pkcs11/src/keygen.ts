/**
 * Generating an Ed25519 key pair on a token (`CKM_EC_EDWARDS_KEY_PAIR_GEN`), for setup and tests.
 * The private key is created sensitive and non-extractable: it never leaves the token.
 */
import { randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { CKK_EC_EDWARDS, CKM_EC_EDWARDS_KEY_PAIR_GEN, EDWARDS25519_OID_DER } from './constants.js';
import { ed25519KeyFromEcPoint } from './ed25519-attributes.js';
import { acquireModule } from './module-registry.js';
import type { PinSource, TokenSelector } from './options.js';
import { pkcs11Failure, signerError } from './pkcs11-failure.js';
import { resolvePin } from './pin.js';
import { describeKey } from './signing-key.js';
import { findTokenSlot, describeTokenSelector } from './token.js';
import { formatPkcs11Uri } from './uri.js';

export interface GenerateEd25519KeyPairOptions extends TokenSelector {
  /** Path of the PKCS#11 library. */
  module: string;
  /** Shorthand for `tokenLabel`. */
  token?: string;
  pin: PinSource;
  /** `CKA_LABEL` for both halves. */
  label: string;
  /** `CKA_ID` for both halves; 16 random bytes when omitted. */
  id?: Uint8Array;
}

export interface GeneratedEd25519KeyPair {
  publicKey: Uint8Array;
  label: string;
  id: Uint8Array;
  /** `pkcs11:` URI of the private key (no module, no PIN). */
  uri: string;
}

export async function generateEd25519KeyPair(options: GenerateEd25519KeyPairOptions): Promise<GeneratedEd25519KeyPair> {
  const token: TokenSelector = {};
  const tokenLabel = options.tokenLabel ?? options.token;
  if (tokenLabel !== undefined) token.tokenLabel = tokenLabel;
  if (options.serial !== undefined) token.serial = options.serial;
  if (options.slot !== undefined) token.slot = options.slot;
  if (typeof options.label !== 'string' || options.label.length === 0) {
    throw signerError(undefined, 'Misconfigured', 'a key label is required', undefined, false);
  }
  const id = options.id ? Uint8Array.from(options.id) : new Uint8Array(randomBytes(16));
  const uri = formatPkcs11Uri({ token: tokenLabel, serial: token.serial, slotId: token.slot, object: options.label, id, type: 'private' });
  const pin = await resolvePin(options.pin, uri);

  const lease = acquireModule(options.module, uri);
  let slot: Buffer | undefined;
  let session: Buffer | undefined;
  let loggedIn = false;
  try {
    slot = findTokenSlot(lease.api, token, uri);
    try {
      session = lease.api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    } catch (e) {
      throw pkcs11Failure(e, uri, 'C_OpenSession');
    }
    lease.login(slot, session, pin, uri, true);
    loggedIn = true;
    refuseDuplicates(lease.api, session, options.label, id, uri, describeTokenSelector(token));

    const common = [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
      { type: pkcs11js.CKA_LABEL, value: options.label },
      { type: pkcs11js.CKA_ID, value: Buffer.from(id) },
    ];
    let pair: pkcs11js.KeyPair;
    try {
      pair = await lease.api.C_GenerateKeyPairAsync(
        session,
        { mechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN },
        [
          ...common,
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
          { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(EDWARDS25519_OID_DER) },
          { type: pkcs11js.CKA_VERIFY, value: true },
          // A signing key only: no encrypt/wrap uses that some tokens switch on by default.
          { type: pkcs11js.CKA_ENCRYPT, value: false },
          { type: pkcs11js.CKA_WRAP, value: false },
        ],
        [
          ...common,
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_PRIVATE, value: true },
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          { type: pkcs11js.CKA_EXTRACTABLE, value: false },
          { type: pkcs11js.CKA_SIGN, value: true },
          { type: pkcs11js.CKA_DECRYPT, value: false },
          { type: pkcs11js.CKA_UNWRAP, value: false },
          { type: pkcs11js.CKA_DERIVE, value: false },
        ],
      );
    } catch (e) {
      throw pkcs11Failure(e, uri, 'C_GenerateKeyPair (CKM_EC_EDWARDS_KEY_PAIR_GEN)');
    }
    let point: Buffer | undefined;
    try {
      point = lease.api.C_GetAttributeValue(session, pair.publicKey, [{ type: pkcs11js.CKA_EC_POINT }])[0]?.value;
    } catch (e) {
      throw pkcs11Failure(e, uri, 'C_GetAttributeValue(CKA_EC_POINT)');
    }
    const publicKey = point && ed25519KeyFromEcPoint(point, uri);
    if (!publicKey) throw signerError(uri, 'InvalidResponse', 'the new public key has no Ed25519 CKA_EC_POINT', undefined, false);
    return { publicKey, label: options.label, id, uri };
  } finally {
    if (loggedIn && slot) lease.logout(slot, session);
    if (session) {
      try {
        lease.api.C_CloseSession(session);
      } catch {
        // already gone
      }
    }
    lease.release();
  }
}

/** Two keys with one label or id would make every later lookup ambiguous. */
function refuseDuplicates(api: pkcs11js.PKCS11, session: Buffer, label: string, id: Uint8Array, uri: string, tokenName: string): void {
  for (const template of [
    [{ type: pkcs11js.CKA_LABEL, value: label }],
    [{ type: pkcs11js.CKA_ID, value: Buffer.from(id) }],
  ]) {
    let found: Buffer[];
    try {
      api.C_FindObjectsInit(session, template);
      found = api.C_FindObjects(session, 1);
      api.C_FindObjectsFinal(session);
    } catch (e) {
      throw pkcs11Failure(e, uri, 'C_FindObjects');
    }
    if (found.length > 0) {
      const which = template[0]!.type === pkcs11js.CKA_LABEL ? describeKey({ label }) : describeKey({ id });
      throw signerError(uri, 'Misconfigured', `${tokenName} already holds an object for ${which}; choose another label/id`, undefined, false);
    }
  }
}
