export {
  startVaultTransit,
  type VaultTransitEmulator,
  type VaultTransitEmulatorOptions,
  type CreateTransitKeyOptions,
  type CreatedTransitKey,
  type KeyLocation as VaultKeyLocation,
  type StatusFault as VaultStatusFault,
  type VaultQuirks,
} from './server.js';
export { TransitKey, type TransitKeyOptions, type TransitKeyType } from './transit-key.js';
export {
  type AppRole as VaultAppRole,
  type AppRoleOptions as VaultAppRoleOptions,
  type TokenInfo as VaultTokenInfo,
  type TokenOptions as VaultTokenOptions,
  type JwtRoleOptions as VaultJwtRoleOptions,
} from './tokens.js';
export type { TokenStore as VaultTokenStore } from './tokens.js';
export { type CertificateAuthority as VaultTestCa, type ServerTls as VaultServerTls } from '../tls.js';
export { startVaultCommand } from './command.js';
