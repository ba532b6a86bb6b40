export { A1Error, isA1Error, type A1ErrorCode, type A1ErrorDetails } from './errors.js';
export { SignerError, isSignerError, type SignerErrorCode, type SignerErrorOptions } from './signer-error.js';
export { providerOf, type Signer, type AsyncSigner, type SignOptions } from './signer.js';
export { LocalSigner } from './local-signer.js';
export { checkPinnedKey, type PinnedKeyOwner } from './pinned-key.js';
export {
  verifyEd25519,
  verifyEd25519Async,
  isValidPublicKey,
  publicKeyProblem,
  ed25519Backend,
  useEd25519Backend,
  nodeBackend,
  nobleBackend,
  webCryptoBackend,
  makeWebCryptoBackend,
  type Ed25519Backend,
  type WebCryptoBackend,
  type SubtleEd25519,
} from './ed25519.js';
export { toHex, fromHex, equalBytes } from './bytes.js';
export {
  Intent,
  intentHash,
  legacyIntentHash,
  normalizeParam,
  rustTrim,
  MAX_ACTION_LEN,
  MAX_PARAM_KEY_LEN,
  MAX_PARAM_VALUE_LEN,
  MAX_INTENT_PARAMS,
  type IntentParams,
} from './intent.js';
export { IntentTree, merkleNode, verifyMerkleProof, merkleRootFromProof, emptyProof, type MerkleProof, type MerkleSibling } from './merkle.js';
export { SubScopeProof } from './subscope.js';
export { NarrowingMatrix, enforceNarrowing, capabilityBit, parseCapabilityCsv, type BitPosition } from './narrowing.js';
export { CapabilityRegistry, MAX_REGISTRY_CAPABILITIES } from './capability-registry.js';
export {
  CertExtensions,
  extensionsCommitment,
  toExtValue,
  MAX_EXTENSION_BYTES,
  type ExtValue,
  type ExtValueInput,
  type ExtensionsInput,
} from './extensions.js';
export {
  signableBytes,
  certFingerprint,
  verifyCertSignature,
  CERT_VERSION,
  DEFAULT_MAX_DEPTH,
  type DelegationCert,
  type UnsignedCert,
} from './cert.js';
export { CertBuilder, type CertBuilderInit } from './cert-builder.js';
export { chainFingerprint, namespaceScope, createChain, createNamespacedChain, type SignedChain } from './chain.js';
export { parseCert, serializeCert, parseSignedChain, serializeSignedChain, type ParseOptions, type SerializeOptions } from './wire.js';
export { extValueFromJson, type JsonForm } from './cert-json.js';
export {
  MemoryNonceStore,
  MemoryRevocationStore,
  type NonceStore,
  type RevocationStore,
  type NonceConsumeContext,
} from './stores.js';
export {
  authorize,
  authorizeBatch,
  MAX_CHAIN_LENGTH,
  DEFAULT_DRIFT_TOLERANCE_SECS,
  type AuthorizeOptions,
  type AuthorizeBatchOptions,
  type BatchItem,
  type BatchResult,
  type VerifyContext,
} from './authorize.js';
export { receiptCanonicalBytes, type VerificationReceipt } from './receipt.js';
export {
  signToken,
  verifyToken,
  serializeToken,
  parseToken,
  serializeReceipt,
  parseReceipt,
  type VerifiedToken,
} from './token.js';
export {
  Passport,
  checkPassportChain,
  issuePassport,
  loadPassport,
  savePassport,
  passportToJson,
  serializeProvableReceipt,
  PASSPORT_MAGIC,
  type IssuePassportOptions,
  type IssueSubOptions,
  type GuardOptions,
  type ProvableReceipt,
} from './passport.js';
