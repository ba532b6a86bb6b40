export { GcpKmsSigner, type GcpKmsSignerOptions } from './gcp-kms-signer.js';
export { parseGcpKmsUri, formatGcpKmsUri, GCP_KMS_URI_SCHEME, type GcpKmsUri } from './uri.js';
export { gcpKmsOptionsFromEnv, type GcpKmsEnvOptions } from './env.js';
export { clientOptionsForEndpoint } from './client-options.js';
export { parseKeyName as parseGcpKmsKeyName, formatKeyName as formatGcpKmsKeyName, type GcpKmsKeyName } from './key-name.js';
export { PROVIDER as GCP_KMS_PROVIDER } from './errors.js';
export type { RetryOptions as GcpKmsRetryOptions } from './retry.js';
export type { SignerHealth } from './health.js';
