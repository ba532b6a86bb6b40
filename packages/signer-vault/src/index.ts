export { VaultTransitSigner, type PinnedKeyVersion } from './vault-transit-signer.js';
export type { VaultTransitSignerOptions } from './options.js';
export { parseVaultUri, type VaultKeyReference } from './uri.js';
export { parseVaultEnv, type Environment, type VaultEnvSettings } from './env.js';
export { VaultRequestError, PROVIDER } from './errors.js';
export type { SignerHealth } from './health.js';
