/**
 * `fromEnv()`: AZURE_KEYVAULT_URL, A1_AZURE_KEY, optional A1_AZURE_KEY_VERSION, and the Azure
 * identity variables (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, …) that
 * DefaultAzureCredential reads. Reading the variables is a pure function.
 */
import { SignerError } from '@a1/core';
import { AzureKeyVaultSigner, type AzureKeyVaultSignerOptions, type TokenCredential } from './azure-keyvault-signer.js';
import { PROVIDER } from './errors.js';
import type { AzureKeyReference } from './uri.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function azureKeyFromEnv(env: Env = process.env): AzureKeyReference {
  const vaultUrl = env.AZURE_KEYVAULT_URL?.trim();
  const keyName = env.A1_AZURE_KEY?.trim();
  const keyVersion = env.A1_AZURE_KEY_VERSION?.trim();
  const missing = [!vaultUrl && 'AZURE_KEYVAULT_URL', !keyName && 'A1_AZURE_KEY'].filter(Boolean);
  if (missing.length > 0) {
    throw new SignerError({ provider: PROVIDER, code: 'Misconfigured', message: `set ${missing.join(' and ')} to use the Azure Key Vault signer` });
  }
  return { vaultUrl: vaultUrl!, keyName: keyName!, ...(keyVersion ? { keyVersion } : {}) };
}

/**
 * DefaultAzureCredential, loaded on the first token request: `@azure/identity` (and MSAL) are
 * only imported when the environment's credential is actually used.
 */
export function lazyDefaultAzureCredential(env: Env = process.env): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then(
        ({ DefaultAzureCredential }) =>
          new DefaultAzureCredential({
            ...(env.AZURE_TENANT_ID ? { tenantId: env.AZURE_TENANT_ID } : {}),
            ...(env.AZURE_CLIENT_ID ? { managedIdentityClientId: env.AZURE_CLIENT_ID } : {}),
          }),
      );
      return (await credential).getToken(scopes, options);
    },
  };
}

export type FromEnvOverrides = Partial<Omit<AzureKeyVaultSignerOptions, 'vaultUrl' | 'keyName' | 'keyVersion'>>;

/** A signer configured from the environment; the credential is DefaultAzureCredential unless given. */
export function fromEnv(env: Env = process.env, overrides: FromEnvOverrides = {}): AzureKeyVaultSigner {
  return new AzureKeyVaultSigner({
    ...azureKeyFromEnv(env),
    ...overrides,
    credential: overrides.credential ?? lazyDefaultAzureCredential(env),
  });
}
