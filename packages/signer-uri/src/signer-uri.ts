/**
 * One URI grammar for every key backend. This module only dispatches on the scheme; each
 * provider package parses its own URIs (pure functions) and is imported only when its scheme
 * is used, so resolving `file:` or `hashivault:` never loads the AWS or Google SDKs.
 */
import type { AsyncSigner, Signer } from '@a1/core';
import { awsKeyAsHostProblem } from './aws-uri-hint.js';
import { importProvider } from './provider-import.js';
import { SIGNER_SCHEMES, signerScheme } from './schemes.js';
import { readSeedFile, seedPath } from './seed-file.js';

type AwsModule = typeof import('@a1/signer-aws');
type GcpModule = typeof import('@a1/signer-gcp');
type VaultModule = typeof import('@a1/signer-vault');
type AzureModule = typeof import('@a1/signer-azure');
type Pkcs11Module = typeof import('@a1/signer-pkcs11');

/** A signer from a URI: in-process (`file:`) or remote (KMS/HSM); `close()` when done. */
export type UriSigner = (Signer | AsyncSigner) & { keyId?: string; close?(): Promise<void> };

/** An `@azure/core-auth` TokenCredential, structurally (so these types need no Azure package). */
export interface AzureTokenCredential {
  getToken(scopes: string | string[], options?: unknown): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

export interface SignerFromUriOptions {
  /** Where providers read their variables (VAULT_ADDR, VAULT_TOKEN, pin-source=env:…). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Base for relative `file:` paths. Default `process.cwd()`. */
  cwd?: string;
  /** Azure: a credential (default: A1_AZURE_TOKEN, else DefaultAzureCredential) and extra client options. */
  azure?: { credential?: AzureTokenCredential; clientOptions?: Record<string, unknown> };
  /** Non-fatal remarks (a seed file readable by others). */
  onWarning?: (text: string) => void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function staticToken(token: string): AzureTokenCredential {
  // A token from `az account get-access-token --resource https://vault.azure.net` (or an emulator's).
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/**
 * Resolves a signer URI, loading only the provider package its scheme names. A provider's own
 * parsing errors are its `SignerError` (`Misconfigured`); everything found before a provider is
 * asked (not a URI, unknown scheme, package not installed, unreadable seed file) is a `SignerUriError`.
 */
export async function signerFromUri(uri: string, options: SignerFromUriOptions = {}): Promise<UriSigner> {
  const env = options.env ?? process.env;
  const scheme = signerScheme(uri);
  const load = <T>() => importProvider<T>(SIGNER_SCHEMES[scheme]!, `the ${scheme} signer URI`, env);
  switch (scheme) {
    case 'file:':
      return readSeedFile(seedPath(uri, options.cwd ?? process.cwd()), options.onWarning);
    case 'awskms:': {
      const problem = awsKeyAsHostProblem(uri);
      if (problem) throw problem;
      // Credentials, region and endpoint overrides: the SDK's own chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_REGION…).
      const { AwsKmsSigner } = await load<AwsModule>();
      return AwsKmsSigner.fromUri(uri);
    }
    case 'gcpkms:': {
      const { GcpKmsSigner, parseGcpKmsUri } = await load<GcpModule>();
      const endpoint = parseGcpKmsUri(uri).endpoint ?? env.A1_GCP_KMS_ENDPOINT?.trim();
      return GcpKmsSigner.fromUri(uri, endpoint ? { endpoint } : {});
    }
    case 'hashivault:': {
      const { VaultTransitSigner } = await load<VaultModule>();
      return VaultTransitSigner.fromUri(uri, env);
    }
    case 'azurekms:': {
      const { AzureKeyVaultSigner, parseAzureKmsUri, lazyDefaultAzureCredential } = await load<AzureModule>();
      const { vaultUrl } = parseAzureKmsUri(uri);
      const token = env.A1_AZURE_TOKEN?.trim();
      const credential = options.azure?.credential ?? (token ? staticToken(token) : lazyDefaultAzureCredential(env));
      // The challenge names *.vault.azure.net; a loopback emulator cannot match it.
      const loopback = LOOPBACK.has(new URL(vaultUrl).hostname);
      return AzureKeyVaultSigner.fromUri(uri, {
        credential: credential as Parameters<AzureModule['AzureKeyVaultSigner']['fromUri']>[1]['credential'],
        clientOptions: { ...(loopback ? { disableChallengeResourceVerification: true } : {}), ...options.azure?.clientOptions },
      });
    }
    case 'pkcs11:': {
      const { fromUri } = await load<Pkcs11Module>();
      return fromUri(uri, { env });
    }
  }
}

/** Releases a signer's sessions and sockets (no-op for local keys). */
export async function closeSigner(signer: UriSigner | undefined): Promise<void> {
  await signer?.close?.();
}
