/**
 * One URI grammar for every key backend. The CLI only dispatches on the scheme; each provider
 * package parses its own URIs (pure functions) and is imported only when its scheme is used.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { AsyncSigner, Signer } from '@a1/core';
import { usageError } from './cli-error.js';
import { importProvider } from './provider-import.js';
import { readSeedFile } from './seed-file.js';

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

/** The scheme of each backend and the package that implements it (`file:` needs none). */
export const SIGNER_SCHEMES = {
  'file:': undefined,
  'awskms:': '@a1/signer-aws',
  'gcpkms:': '@a1/signer-gcp',
  'hashivault:': '@a1/signer-vault',
  'azurekms:': '@a1/signer-azure',
  'pkcs11:': '@a1/signer-pkcs11',
} as const;

export type SignerScheme = keyof typeof SIGNER_SCHEMES;

export function signerScheme(uri: string): SignerScheme {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  const known = Object.keys(SIGNER_SCHEMES).join(' ');
  if (!scheme) throw usageError(`signer "${uri.slice(0, 60)}" is not a URI`, `start it with one of: ${known} (e.g. file:./root.key)`);
  const key = `${scheme}:`;
  if (!(key in SIGNER_SCHEMES)) throw usageError(`unknown signer scheme "${scheme}:"`, `known schemes: ${known}`);
  return key as SignerScheme;
}

/** The provider package a URI needs, or undefined for `file:`. */
export function providerPackageFor(uri: string): string | undefined {
  return SIGNER_SCHEMES[signerScheme(uri)];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function staticToken(token: string): AzureTokenCredential {
  // A token from `az account get-access-token --resource https://vault.azure.net` (or an emulator's).
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

function seedPath(uri: string, cwd: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  const path = decodeURIComponent(uri.slice('file:'.length));
  if (path === '') throw usageError('file: signer URI has no path', 'e.g. file:./root.key');
  return resolve(cwd, path);
}

/**
 * Resolves a signer URI, loading only the provider package its scheme names. Parsing errors are
 * the provider's `SignerError` (`Misconfigured`); a missing package is a `CliError` (`ProviderMissing`).
 */
export async function signerFromUri(uri: string, options: SignerFromUriOptions = {}): Promise<UriSigner> {
  const env = options.env ?? process.env;
  const scheme = signerScheme(uri);
  const load = <T>() => importProvider<T>(SIGNER_SCHEMES[scheme]!, scheme);
  switch (scheme) {
    case 'file:':
      return readSeedFile(seedPath(uri, options.cwd ?? process.cwd()), options.onWarning);
    case 'awskms:': {
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
