export {
  startAzureKeyVault,
  type AzureKeyVaultOptions,
  type AzureKeyVaultEmulator,
  type AzureKeyVaultDescription,
  type AzurePermission,
  type AzurePermissionModel,
  type AzureRequestRecord,
  type AzureAccessToken,
  type AzureTokenCredential,
  type AzureTokenRequest,
} from './key-vault-emulator.js';
export { type AzureKeyType, type AzureKeyUpdate, type CreateAzureKeyOptions, type CreatedAzureKey } from './key-store.js';
export { LATEST_API_VERSION as AZURE_LATEST_API_VERSION, OKP_API_VERSION as AZURE_OKP_API_VERSION, SUPPORTED_API_VERSIONS as AZURE_API_VERSIONS } from './api-versions.js';
export { type ServerTls as AzureEmulatorTls } from '../tls.js';
export { startAzureKeyVaultCommand, DEMO_AZURE_KEY } from './command.js';
