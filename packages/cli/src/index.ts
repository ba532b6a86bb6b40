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
} from '@a1/signer-uri'; // moved to @a1/signer-uri; re-exported so existing imports keep working
export { parseDuration, describeSeconds } from './duration.js';
export { CliError, type CliErrorCode } from './cli-error.js';
export { EXIT, type ExitCode } from './exit-codes.js';
export { main, type MainOptions } from './main.js';
