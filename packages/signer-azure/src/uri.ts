/**
 * `azurekms://NAME.vault.azure.net/KEY[/VERSION]` — the URI form the CLI (and sigstore's cosign)
 * uses for Key Vault keys. Parsing is pure: no network, no environment.
 */
import { SignerError } from '@a1/core';
import { PROVIDER } from './errors.js';

export interface AzureKeyReference {
  /** `https://NAME.vault.azure.net` (or a Managed HSM / emulator host). */
  vaultUrl: string;
  keyName: string;
  /** Pinned key version; the current version is used (and then pinned) when absent. */
  keyVersion?: string;
}

export const KEY_NAME = /^[0-9A-Za-z-]{1,127}$/;
export const KEY_VERSION = /^[0-9A-Za-z]{1,64}$/;

function misconfigured(message: string): SignerError {
  return new SignerError({ provider: PROVIDER, code: 'Misconfigured', message });
}

export function parseAzureKmsUri(uri: string): AzureKeyReference {
  if (typeof uri !== 'string' || !uri.startsWith('azurekms://')) {
    throw misconfigured('Azure key URI must look like azurekms://NAME.vault.azure.net/KEY[/VERSION]');
  }
  let url: URL;
  try {
    url = new URL(`https://${uri.slice('azurekms://'.length)}`);
  } catch {
    throw misconfigured('Azure key URI has an invalid host: expected azurekms://NAME.vault.azure.net/KEY[/VERSION]');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw misconfigured('Azure key URI must not carry credentials, a query or a fragment');
  }
  const [keyName, keyVersion, ...rest] = url.pathname.slice(1).split('/');
  if (!keyName || !KEY_NAME.test(keyName)) {
    throw misconfigured('Azure key URI must name a key (letters, digits and dashes): azurekms://NAME.vault.azure.net/KEY');
  }
  if (rest.length > 0 || (keyVersion !== undefined && !KEY_VERSION.test(keyVersion))) {
    throw misconfigured('Azure key URI path must be /KEY or /KEY/VERSION (version: letters and digits)');
  }
  return { vaultUrl: url.origin, keyName, ...(keyVersion ? { keyVersion } : {}) };
}
