export { Pkcs11Signer } from './signer.js';
export type { Pkcs11SignerOptions, PinSource, TokenSelector, KeySelector } from './options.js';
export type { SessionPoolStats } from './session-pool.js';
export type { SignerHealth } from './health-check.js';
export { optionsFromEnv, parseKeyIdHex } from './env.js';
export { parsePkcs11Uri, formatPkcs11Uri, type Pkcs11Uri, type PinSourceRef } from './uri.js';
export { optionsFromUri, type UriOptionsContext } from './uri-options.js';
export { generateEd25519KeyPair, type GenerateEd25519KeyPairOptions, type GeneratedEd25519KeyPair } from './keygen.js';
export { isEdwards25519Params, ed25519KeyFromEcPoint, ed25519KeyFromSpki } from './ed25519-attributes.js';
export { CKM_EDDSA, CKK_EC_EDWARDS, CKM_EC_EDWARDS_KEY_PAIR_GEN } from './constants.js';

import { Pkcs11Signer } from './signer.js';
import type { UriOptionsContext } from './uri-options.js';

/** `Pkcs11Signer.fromEnv` as a function, like the other providers' `fromEnv()`. */
export function fromEnv(env: NodeJS.ProcessEnv = process.env): Pkcs11Signer {
  return Pkcs11Signer.fromEnv(env);
}

/** `Pkcs11Signer.fromUri` as a function. */
export function fromUri(uri: string, context?: UriOptionsContext): Pkcs11Signer {
  return Pkcs11Signer.fromUri(uri, context);
}
