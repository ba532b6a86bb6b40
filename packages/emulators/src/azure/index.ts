export {
  startAzureKeyVault,
  type AzureKeyVaultOptions,
  type AzureKeyVaultEmulator,
  type AzureKeyVaultDescription,
  type AzurePermission,
  type AzureRequestRecord,
  type AzureAccessToken,
  type AzureTokenCredential,
  type AzureTokenRequest,
} from './key-vault-emulator.js';
export { type AzureKeyType, type CreateAzureKeyOptions, type CreatedAzureKey } from './key-store.js';
export { type ServerTls as AzureEmulatorTls } from '../tls.js';
export { startAzureKeyVaultCommand, DEMO_AZURE_KEY } from './command.js';
