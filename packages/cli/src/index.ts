export {
  signerFromUri,
  closeSigner,
  providerPackageFor,
  signerScheme,
  SIGNER_SCHEMES,
  type SignerScheme,
  type SignerFromUriOptions,
  type UriSigner,
  type AzureTokenCredential,
} from './signer-uri.js';
export { importProvider } from './provider-import.js';
export { parseDuration, describeSeconds } from './duration.js';
export { CliError, type CliErrorCode } from './cli-error.js';
export { EXIT, type ExitCode } from './exit-codes.js';
export { main, type MainOptions } from './main.js';
