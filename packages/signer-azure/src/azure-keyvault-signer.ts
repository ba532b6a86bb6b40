/**
 * `AzureKeyVaultSigner`: an `AsyncSigner` whose Ed25519 key lives in Azure Key Vault / Managed HSM.
 * `KeyClient` reads the key once (concurrent first calls share that read); `CryptographyClient`
 * signs with `EdDSA` over the raw 32-byte message, always with the version whose public key was
 * cached, so a rotation on the server never pairs a new signature with an old public key.
 */
import { inspect } from 'node:util';
import { SignerError, type AsyncSigner, type SignOptions } from '@a1/core';
import {
  CryptographyClient,
  KeyClient,
  parseKeyVaultKeyIdentifier,
  type CryptographyClientOptions,
  type KeyVaultKey,
} from '@azure/keyvault-keys';
import { ed25519PublicKeyOf } from './ed25519-key.js';
import { PROVIDER, toSignerError, type FailureContext } from './errors.js';
import { KEY_NAME, KEY_VERSION, parseAzureKmsUri } from './uri.js';

/** Any `@azure/core-auth` TokenCredential (DefaultAzureCredential, ManagedIdentityCredential, …). */
export type TokenCredential = ConstructorParameters<typeof KeyClient>[1];

/** Options passed through to both SDK clients (retryOptions, tlsOptions, proxyOptions, …). */
export type AzureClientOptions = CryptographyClientOptions;

export interface AzureKeyVaultSignerOptions {
  /** `https://NAME.vault.azure.net` or `https://NAME.managedhsm.azure.net` (AZURE_KEYVAULT_URL). */
  vaultUrl: string;
  /** Key name (A1_AZURE_KEY). */
  keyName: string;
  /** Pin a key version (A1_AZURE_KEY_VERSION); otherwise the current version at first use is pinned. */
  keyVersion?: string;
  credential: TokenCredential;
  /** Passed to KeyClient and CryptographyClient unchanged. */
  clientOptions?: AzureClientOptions;
  /** Upper bound for one key read or one signature, retries included. Default 30 000 ms. */
  timeoutMs?: number;
}

interface PinnedKey {
  publicKey: Uint8Array;
  /** Full key id with version: `https://vault/keys/NAME/VERSION`. */
  kid: string;
  crypto: CryptographyClient;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class AzureKeyVaultSigner implements AsyncSigner {
  readonly provider = PROVIDER;
  readonly vaultUrl: string;
  readonly keyName: string;
  private readonly keyVersion: string | undefined;
  private readonly credential: TokenCredential;
  private readonly clientOptions: AzureClientOptions;
  private readonly timeoutMs: number;
  private readonly keyClient: KeyClient;
  private pinned: PinnedKey | undefined;
  private loading: Promise<PinnedKey> | undefined;

  constructor(options: AzureKeyVaultSignerOptions) {
    const misconfigured = (message: string) => new SignerError({ provider: PROVIDER, code: 'Misconfigured', message });
    let vault: URL;
    try {
      vault = new URL(options?.vaultUrl);
    } catch {
      throw misconfigured('vaultUrl must be a URL such as https://NAME.vault.azure.net');
    }
    if (vault.protocol !== 'https:' && options.clientOptions?.allowInsecureConnection !== true) {
      throw misconfigured('vaultUrl must use https (set clientOptions.allowInsecureConnection only for a local emulator)');
    }
    if (typeof options.keyName !== 'string' || !KEY_NAME.test(options.keyName)) {
      throw misconfigured('keyName must be a Key Vault key name (1-127 letters, digits and dashes)');
    }
    if (options.keyVersion !== undefined && (typeof options.keyVersion !== 'string' || !KEY_VERSION.test(options.keyVersion))) {
      throw misconfigured('keyVersion must be a Key Vault key version (letters and digits)');
    }
    if (typeof options.credential?.getToken !== 'function') {
      throw misconfigured('credential must be a TokenCredential (for example DefaultAzureCredential from @azure/identity)');
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw misconfigured('timeoutMs must be a positive number of milliseconds');

    this.vaultUrl = vault.origin;
    this.keyName = options.keyName;
    this.keyVersion = options.keyVersion;
    this.credential = options.credential;
    this.clientOptions = options.clientOptions ?? {};
    this.timeoutMs = timeoutMs;
    // The SDK writes into the options object it is given; each client gets its own copy.
    this.keyClient = new KeyClient(this.vaultUrl, this.credential, { ...this.clientOptions });
  }

  /** `azurekms://NAME.vault.azure.net/KEY[/VERSION]` plus a credential. */
  static fromUri(
    uri: string,
    options: Omit<AzureKeyVaultSignerOptions, 'vaultUrl' | 'keyName' | 'keyVersion'>,
  ): AzureKeyVaultSigner {
    return new AzureKeyVaultSigner({ ...options, ...parseAzureKmsUri(uri) });
  }

  /** The versioned key id once the key was read; the configured name before. */
  get keyId(): string {
    return this.pinned?.kid ?? `${this.vaultUrl}/keys/${this.keyName}${this.keyVersion ? `/${this.keyVersion}` : ''}`;
  }

  async verifyingKey(): Promise<Uint8Array> {
    return (await this.pinnedKey()).publicKey.slice();
  }

  async signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
    if (!(message instanceof Uint8Array)) {
      throw new SignerError({ provider: PROVIDER, keyId: this.keyId, code: 'Misconfigured', message: 'message must be a Uint8Array' });
    }
    const key = await this.pinnedKey(opts.signal);
    return this.withDeadline('sign', opts.signal, async (abortSignal) => {
      const { result } = await key.crypto.sign('EdDSA', message, { abortSignal });
      if (!(result instanceof Uint8Array) || result.length !== 64) {
        const got = result instanceof Uint8Array ? `${result.length} bytes` : 'no signature';
        throw new SignerError({
          provider: PROVIDER,
          keyId: this.keyId,
          code: 'InvalidResponse',
          message: `Key Vault returned ${got}; an Ed25519 signature is 64 bytes`,
        });
      }
      return new Uint8Array(result);
    });
  }

  /** Nothing to release: the SDK's HTTP agent closes idle sockets itself. */
  async close(): Promise<void> {}

  /** Logged or serialized, a signer shows where its key is, never its credential or clients. */
  toJSON(): { provider: string; keyId: string } {
    return { provider: this.provider, keyId: this.keyId };
  }

  [inspect.custom](): string {
    return `AzureKeyVaultSigner { provider: '${this.provider}', keyId: '${this.keyId}' }`;
  }

  private pinnedKey(signal?: AbortSignal): Promise<PinnedKey> {
    if (this.pinned) return Promise.resolve(this.pinned);
    if (!this.loading) {
      const loading = this.withDeadline('read key', undefined, (abortSignal) => this.readKey(abortSignal));
      this.loading = loading;
      loading.then(
        (key) => (this.pinned = key),
        (error: unknown) => {
          // A key of the wrong type stays wrong; anything else may heal, so the next call reads again.
          if (!(error instanceof SignerError && error.code === 'WrongKeyType')) this.loading = undefined;
        },
      );
    }
    // The shared read is not cancelled by one caller's signal; that caller just stops waiting.
    return this.untilAborted(this.loading, signal);
  }

  private async readKey(abortSignal: AbortSignal): Promise<PinnedKey> {
    const key: KeyVaultKey = await this.keyClient.getKey(this.keyName, {
      ...(this.keyVersion ? { version: this.keyVersion } : {}),
      abortSignal,
    });
    const kid = this.checkedKid(key);
    if (key.properties.enabled === false) {
      throw new SignerError({
        provider: PROVIDER,
        keyId: this.keyId,
        code: 'AccessDenied',
        message: `key version ${key.properties.version} is disabled in Key Vault; enable it or pin another version`,
      });
    }
    // Errors carry the signer's keyId (not yet pinned); the message names the version read.
    const publicKey = ed25519PublicKeyOf(key, this.keyId);
    // Built from the fetched key, the client signs with exactly its versioned id and reads nothing.
    const crypto = new CryptographyClient(key, this.credential, { ...this.clientOptions });
    return { publicKey, kid, crypto };
  }

  /** The key id must name this vault, this key and a version; otherwise tokens could go elsewhere. */
  private checkedKid(key: KeyVaultKey): string {
    const invalid = (why: string) =>
      new SignerError({ provider: PROVIDER, keyId: this.keyId, code: 'InvalidResponse', message: `Key Vault returned a key id that ${why}` });
    if (typeof key.id !== 'string') throw invalid('is missing');
    let parsed: ReturnType<typeof parseKeyVaultKeyIdentifier>;
    try {
      parsed = parseKeyVaultKeyIdentifier(key.id);
    } catch {
      throw invalid('is not a Key Vault key URL');
    }
    if (new URL(parsed.vaultUrl).origin !== this.vaultUrl) throw invalid(`points to another vault (${new URL(parsed.vaultUrl).origin})`);
    if (parsed.name !== this.keyName) throw invalid(`names another key (${parsed.name})`);
    if (!parsed.version) throw invalid('has no version');
    if (this.keyVersion && parsed.version !== this.keyVersion) throw invalid(`has version ${parsed.version}, not the pinned ${this.keyVersion}`);
    return key.id;
  }

  /** Runs one SDK call under the timeout and the caller's signal, mapping every failure. */
  private async withDeadline<T>(
    operation: FailureContext['operation'],
    signal: AbortSignal | undefined,
    call: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const ctx: FailureContext = { keyId: this.keyId, operation, timedOut: false, timeoutMs: this.timeoutMs, aborted: false };
    if (signal?.aborted) throw toSignerError(signal.reason, { ...ctx, aborted: true });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      ctx.timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => {
      ctx.aborted = true;
      controller.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await call(controller.signal);
    } catch (error) {
      throw toSignerError(error, { ...ctx, keyId: this.keyId });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    const ctx: FailureContext = { keyId: this.keyId, operation: 'read key', timedOut: false, timeoutMs: this.timeoutMs, aborted: true };
    if (signal.aborted) return Promise.reject(toSignerError(signal.reason, ctx));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(toSignerError(signal.reason, ctx));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}
