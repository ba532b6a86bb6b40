/** Constructor options of `Pkcs11Signer`. Plain data plus an optional PIN callback. */

/** The user PIN, or a function that produces it when the signer first logs in. */
export type PinSource = string | (() => string | Promise<string>);

/** Which token to use. Give one of these; with none, the module must have exactly one token. */
export interface TokenSelector {
  /** `CKA_LABEL` of the token (trailing blanks ignored), e.g. `a1`. */
  tokenLabel?: string;
  /** Token serial number (trailing blanks ignored). */
  serial?: string;
  /** Slot ID (the CK_SLOT_ID number, not a list index). */
  slot?: number;
}

/** Which key to use. At least one of `label` or `id`; both must match when both are given. */
export interface KeySelector {
  /** `CKA_LABEL` of the private key. */
  label?: string;
  /** `CKA_ID` of the private key, as bytes. */
  id?: Uint8Array;
}

export interface Pkcs11SignerOptions extends TokenSelector, KeySelector {
  /** Path of the PKCS#11 library, e.g. `/usr/lib/softhsm/libsofthsm2.so`. */
  module: string;
  /** User (CKU_USER) PIN. Never logged, never part of an error or of `keyId`. */
  pin: PinSource;
  /** Logged-in sessions kept open for signing. Default 4. */
  poolSize?: number;
}
