export { AwsKmsSigner } from './aws-kms-signer.js';
export type { AwsKmsSignerOptions } from './options.js';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from './options.js';
export { parseAwsKmsUri, AWS_KMS_URI_SCHEME, type AwsKmsUriOptions } from './uri.js';
export { awsKmsOptionsFromEnv, type Env } from './env.js';
export { toSignerError as awsKmsErrorToSignerError } from './errors.js';
export { parseEd25519Spki } from './pinned-key.js';
export { AWS_KMS_PROVIDER } from './key-id.js';
