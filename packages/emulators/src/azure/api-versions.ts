/**
 * The Key Vault data-plane api-versions the emulator answers, and which of them know OKP keys.
 *
 * Sources: the version folders of Azure/azure-rest-api-specs
 * `specification/keyvault/data-plane/Microsoft.KeyVault/{stable,preview}/*`; only
 * `preview/7.4-preview.1/keys.json` lists `OKP`/`OKP-HSM` in JsonWebKeyType, `Ed25519` in
 * JsonWebKeyCurveName and `EdDSA` in JsonWebKeySignatureAlgorithm (the Managed HSM preview).
 * `@azure/keyvault-keys` 4.10 sends `2025-07-01` by default (its LATEST_API_VERSION), whose key
 * model has none of them. An unknown version is answered the way the service answers one:
 * 400 BadParameter "The specified version (X) is not recognized. Consider using the latest
 * supported version (Y)." (reported verbatim in Azure/azure-sdk-for-python#28595).
 */
import { badParameter, type KeyVaultError } from './keyvault-error.js';

export const LATEST_API_VERSION = '2025-07-01';

/** The one api-version whose key model has OKP / Ed25519 / EdDSA. */
export const OKP_API_VERSION = '7.4-preview.1';

export const SUPPORTED_API_VERSIONS: readonly string[] = [
  '2016-10-01',
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6',
  LATEST_API_VERSION,
  OKP_API_VERSION,
  '7.5-preview.1',
  '7.6-preview.2',
];

const OKP_VERSIONS: ReadonlySet<string> = new Set([OKP_API_VERSION]);

/** Undefined when the version is served; otherwise the service's error. */
export function checkApiVersion(version: string | null): KeyVaultError | undefined {
  if (!version) return badParameter('The api-version query parameter is missing.');
  if (SUPPORTED_API_VERSIONS.includes(version)) return undefined;
  return badParameter(`The specified version (${version}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`);
}

export function knowsOkp(version: string): boolean {
  return OKP_VERSIONS.has(version);
}
