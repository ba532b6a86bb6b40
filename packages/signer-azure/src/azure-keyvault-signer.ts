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
import { KeyVaultResponseError, PROVIDER, toSignerError, type FailureContext } from './errors.js';
import { retryUntilDeadline, type RetryBudget } from './retry.js';
import { checkKeyUsable, type KeyHealth } from './key-health.js';
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
  /** Upper bound for one key read or one signature (one attempt, the SDK's own retries included). Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Key Vault REST api-version for both SDK clients. Default `7.4-preview.1`, the only version whose key
   * model has OKP / Ed25519 / EdDSA (the SDK's own default, 2025-07-01, has none). Overrides
   * `clientOptions.serviceVersion`.
   */
  serviceVersion?: string;
  /**
   * Total time over which a throttled (429) or unavailable (5xx) key read or sign is attempted again,
   * waiting out each Retry-After. Key Vault meters per 10-second window, so the default, 30 000 ms, rides
   * out a few windows and still answers an interactive caller. Never past the caller's AbortSignal.
   */
  retryDeadlineMs?: number;
}

/** The api-version whose key model defines OKP keys, the Ed25519 curve and the EdDSA algorithm. */
export const OKP_SERVICE_VERSION = '7.4-preview.1';

interface PinnedKey {
  publicKey: Uint8Array;
  /** Full key id with version: `https://vault/keys/NAME/VERSION`. */
  kid: string;
  crypto: CryptographyClient;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_DEADLINE_MS = 30_000;

export class AzureKeyVaultSigner implements AsyncSigner {
  // True private fields: a spread, Object.entries or inspect without custom inspect never reach the credential.
  readonly provider = PROVIDER;
  readonly vaultUrl: string;
  readonly keyName: string;
  readonly #keyVersion: string | undefined;
  readonly #credential: TokenCredential;
  readonly #clientOptions: AzureClientOptions;
  readonly #timeoutMs: number;
  readonly #retryBudget: RetryBudget;
  readonly #keyClient: KeyClient;
  #pinned: PinnedKey | undefined;
  #loading: Promise<PinnedKey> | undefined;

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
    const retryDeadlineMs = options.retryDeadlineMs ?? DEFAULT_RETRY_DEADLINE_MS;
    if (!Number.isFinite(retryDeadlineMs) || retryDeadlineMs < 0) throw misconfigured('retryDeadlineMs must be a non-negative number of milliseconds');
    const serviceVersion = options.serviceVersion ?? options.clientOptions?.serviceVersion ?? OKP_SERVICE_VERSION;
    if (typeof serviceVersion !== 'string' || serviceVersion === '') throw misconfigured('serviceVersion must be a Key Vault api-version such as 7.4-preview.1');

    this.vaultUrl = vault.origin;
    this.keyName = options.keyName;
    this.#keyVersion = options.keyVersion;
    this.#credential = options.credential;
    // The signer owns re-attempts (deadline-based, below): the SDK's retry policy would wait out any
    // Retry-After inside one attempt, however long, so it is off unless the caller asks for it.
    this.#clientOptions = { ...options.clientOptions, serviceVersion, retryOptions: options.clientOptions?.retryOptions ?? { maxRetries: 0 } };
    this.#timeoutMs = timeoutMs;
    this.#retryBudget = { deadlineMs: retryDeadlineMs, baseDelayMs: 200, maxDelayMs: 2_000 };
    // The SDK writes into the options object it is given; each client gets its own copy.
    this.#keyClient = new KeyClient(this.vaultUrl, this.#credential, { ...this.#clientOptions });
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
    return this.#pinned?.kid ?? `${this.vaultUrl}/keys/${this.keyName}${this.#keyVersion ? `/${this.#keyVersion}` : ''}`;
  }

  async verifyingKey(): Promise<Uint8Array> {
    return (await this.#pinnedKey()).publicKey.slice();
  }

  async signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
    if (!(message instanceof Uint8Array)) {
      throw new SignerError({ provider: PROVIDER, keyId: this.keyId, code: 'Misconfigured', message: 'message must be a Uint8Array' });
    }
    const key = await this.#pinnedKey(opts.signal);
    const signOnce = () => this.#withDeadline('sign', opts.signal, async (abortSignal) => {
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
    return this.#retried('sign', signOnce, opts.signal);
  }

  /**
   * A readiness probe: reads the key (fresh, not the cached copy) and checks reachability, the
   * credential, and that the key is an enabled, currently valid Ed25519 signing key — without
   * signing. Never throws for a backend fault: `ok: false` and a `detail` that says what is wrong.
   */
  async health(opts: { signal?: AbortSignal } = {}): Promise<KeyHealth> {
    const started = performance.now();
    const result = (ok: boolean, detail: string): KeyHealth => ({ ok, latencyMs: Math.round(performance.now() - started), keyId: this.keyId, detail });
    try {
      const version = this.#keyVersion ?? this.#pinned?.kid.split('/').at(-1);
      const key = await this.#withDeadline('health check', opts.signal, (abortSignal) =>
        this.#keyClient.getKey(this.keyName, { ...(version ? { version } : {}), abortSignal }),
      );
      this.#checkedKid(key);
      checkKeyUsable(key, this.keyId);
      return result(true, `key version ${key.properties.version} is an enabled Ed25519 signing key (${key.key?.kty})`);
    } catch (error) {
      const failure = error instanceof SignerError ? error : toSignerError(error, this.#failureContext('health check'));
      return result(false, `${failure.code}: ${failure.message}`);
    }
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

  #pinnedKey(signal?: AbortSignal): Promise<PinnedKey> {
    if (this.#pinned) return Promise.resolve(this.#pinned);
    if (!this.#loading) {
      const loading = this.#retried('read key', () => this.#withDeadline('read key', undefined, (abortSignal) => this.#readKey(abortSignal)), undefined);
      this.#loading = loading;
      loading.then(
        (key) => (this.#pinned = key),
        (error: unknown) => {
          // A key of the wrong type stays wrong; anything else may heal, so the next call reads again.
          if (!(error instanceof SignerError && error.code === 'WrongKeyType')) this.#loading = undefined;
        },
      );
    }
    // The shared read is not cancelled by one caller's signal; that caller just stops waiting.
    return this.#untilAborted(this.#loading, signal);
  }

  async #readKey(abortSignal: AbortSignal): Promise<PinnedKey> {
    const key: KeyVaultKey = await this.#keyClient.getKey(this.keyName, {
      ...(this.#keyVersion ? { version: this.#keyVersion } : {}),
      abortSignal,
    });
    const kid = this.#checkedKid(key);
    // Errors carry the signer's keyId (not yet pinned); the message names the version read.
    const publicKey = checkKeyUsable(key, this.keyId);
    // Built from the fetched key, the client signs with exactly its versioned id and reads nothing.
    const crypto = new CryptographyClient(key, this.#credential, { ...this.#clientOptions });
    return { publicKey, kid, crypto };
  }

  /** The key id must name this vault, this key and a version; otherwise tokens could go elsewhere. */
  #checkedKid(key: KeyVaultKey): string {
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
    if (this.#keyVersion && parsed.version !== this.#keyVersion) throw invalid(`has version ${parsed.version}, not the pinned ${this.#keyVersion}`);
    return key.id;
  }

  /** Attempts `call` again on 429 / 5xx until the retry deadline, waiting out each Retry-After. */
  #retried<T>(operation: FailureContext['operation'], call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return retryUntilDeadline(call, this.#retryBudget, {
      retryAfterMs: (error) => {
        const seconds = error.cause instanceof KeyVaultResponseError ? error.cause.retryAfterSeconds : undefined;
        return seconds === undefined ? undefined : seconds * 1000;
      },
      giveUp: (last, elapsedMs) =>
        new SignerError({
          provider: PROVIDER,
          keyId: this.keyId,
          code: last.code,
          retryable: true,
          cause: last.cause,
          message: `${last.message}; gave up after ${elapsedMs} ms: the ${last.code === 'Throttled' ? 'throttle' : 'outage'} outlasts the retry deadline of ${this.#retryBudget.deadlineMs} ms (retryDeadlineMs)`,
        }),
      aborted: () => toSignerError(signal?.reason, { ...this.#failureContext(operation), aborted: true }),
    }, signal);
  }

  #failureContext(operation: FailureContext['operation']): FailureContext {
    return { keyId: this.keyId, operation, timedOut: false, timeoutMs: this.#timeoutMs, aborted: false };
  }

  /** Runs one SDK call under the timeout and the caller's signal, mapping every failure. */
  async #withDeadline<T>(
    operation: FailureContext['operation'],
    signal: AbortSignal | undefined,
    call: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const ctx: FailureContext = { keyId: this.keyId, operation, timedOut: false, timeoutMs: this.#timeoutMs, aborted: false };
    if (signal?.aborted) throw toSignerError(signal.reason, { ...ctx, aborted: true });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      ctx.timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
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

  #untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    const ctx: FailureContext = { keyId: this.keyId, operation: 'read key', timedOut: false, timeoutMs: this.#timeoutMs, aborted: true };
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
