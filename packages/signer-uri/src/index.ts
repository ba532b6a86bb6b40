export { signerFromUri, closeSigner, type SignerFromUriOptions, type UriSigner, type AzureTokenCredential } from './signer-uri.js';
export { SIGNER_SCHEMES, signerScheme, providerPackageFor, type SignerScheme } from './schemes.js';
export { SignerUriError, isSignerUriError, type SignerUriErrorCode } from './signer-uri-error.js';
export { importProvider } from './provider-import.js';
export { currentInstallLocation, installLocation, installCommand, type InstallLocation, type InstallFacts } from './install-location.js';
export { readSeedFile } from './seed-file.js';
export { looksLikeKeyMaterial } from './key-material.js';
export { SIGNER_URI_HELP } from './signer-help.js';
