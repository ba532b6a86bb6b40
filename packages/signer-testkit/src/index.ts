export { describeSignerConformance } from './describe-signer-conformance.js';
export type {
  AnySigner,
  FaultContext,
  FaultExpectation,
  SignerConformanceOptions,
  SignerErrorExpectation,
  SignerFactory,
  SignerFault,
} from './options.js';
export { ConformanceError } from './conformance-error.js';
export { assertSignerError, expectSignerError } from './expect-signer-error.js';
export { randomMessage } from './random-message.js';
export { toAsyncSigner } from './to-async-signer.js';
export {
  assertNoSecrets,
  findSecretLeaks,
  MIN_SECRET_LENGTH,
  type Secret,
  type SecretLeak,
} from './secret-leaks.js';
export { captureOutput, type OutputCapture } from './output-capture.js';
export { checkPublicKey } from './checks/public-key.js';
export { checkSignatures } from './checks/signatures.js';
export { checkConcurrentSigns } from './checks/concurrency.js';
export { checkCertAuthorizes, checkPassportChain } from './checks/certs.js';
export { checkAbort, type AbortCheckOutcome } from './checks/abort.js';
export { checkWrongKeyType } from './checks/wrong-key-type.js';
export { checkFault } from './checks/fault.js';
export { checkHealthy, checkUnhealthy, hasHealth, type SignerHealth } from './checks/health.js';
export { checkSignerRedaction } from './checks/signer-redaction.js';
export { checkSecretsStayHidden, type SecretsCheckInput } from './checks/secrets.js';
