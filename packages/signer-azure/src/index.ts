export {
  AzureKeyVaultSigner,
  OKP_SERVICE_VERSION,
  type AzureKeyVaultSignerOptions,
  type AzureClientOptions,
  type TokenCredential,
} from './azure-keyvault-signer.js';
export { parseAzureKmsUri, type AzureKeyReference } from './uri.js';
export { fromEnv, azureKeyFromEnv, lazyDefaultAzureCredential, type Env, type FromEnvOverrides } from './env.js';
export { PROVIDER as AZURE_PROVIDER, KeyVaultResponseError, toSignerError, OKP_HINT } from './errors.js';
export { describeKeyKind, NO_ED25519_ON_GA } from './ed25519-key.js';
export type { KeyHealth } from './key-health.js';
