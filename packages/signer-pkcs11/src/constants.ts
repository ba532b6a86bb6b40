/**
 * PKCS#11 3.0 identifiers that pkcs11js 2.1.7 (a PKCS#11 2.40 binding) does not export.
 * Values from the PKCS#11 3.0 headers (pkcs11t.h).
 */

/** Pure EdDSA signing (RFC 8032); with no parameters it is Ed25519, not Ed25519ph. */
export const CKM_EDDSA = 0x1057;
/** Key type of Ed25519 / Ed448 keys. */
export const CKK_EC_EDWARDS = 0x40;
/** Key-pair generation mechanism for `CKK_EC_EDWARDS` keys. */
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
/** DER SubjectPublicKeyInfo of a key (PKCS#11 2.40+), readable on some private keys. */
export const CKA_PUBLIC_KEY_INFO = 0x129;
/** Context-specific login (PKCS#11 2.20+), needed before each C_Sign with a CKA_ALWAYS_AUTHENTICATE key. */
export const CKU_CONTEXT_SPECIFIC = 2;

/** `CKA_EC_PARAMS` naming edwards25519: the RFC 8410 OID 1.3.101.112 ... */
export const EDWARDS25519_OID_DER = Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x70);
/** ... or the PrintableString "edwards25519" that PKCS#11 3.0 also allows (SoftHSM2 stores this one). */
export const EDWARDS25519_NAME_DER = Uint8Array.of(
  0x13, 0x0c, ...new TextEncoder().encode('edwards25519'),
);

/**
 * ... or GnuPG's OID 1.3.6.1.4.1.11591.15.1 for Ed25519, which OpenSC writes on cards it
 * initializes (OpenPGP cards, and keys generated with `pkcs11-tool` through OpenSC).
 */
export const EDWARDS25519_GNUPG_OID_DER = Uint8Array.of(
  0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01,
);

export const DEFAULT_POOL_SIZE = 4;

/** Session states in which the user is logged in (`CK_STATE`, pkcs11t.h). */
export const CKS_RO_USER_FUNCTIONS = 1;
export const CKS_RW_USER_FUNCTIONS = 3;
