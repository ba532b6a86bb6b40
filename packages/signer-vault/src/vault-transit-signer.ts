/**
 * `VaultTransitSigner`: an A1 `AsyncSigner` whose Ed25519 key lives in Vault's Transit engine.
 * The key version and its public key are fetched once and pinned together; every sign request
 * names that `key_version` and every answer must carry it back, so a rotation on the server
 * can never pair a new signature with an old public key. `refresh()` moves to the latest
 * version, deliberately.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { checkPinnedKey, SignerError, type AsyncSigner, type SignOptions, type SignerErrorCode } from '@a1/core';
import nodeVault from 'node-vault';
import { parseVaultSignature } from './envelope.js';
import { parseVaultEnv, type Environment } from './env.js';
import { PROVIDER, toSignerError, type LoginMethod, type VaultOperation } from './errors.js';
import { credentialsFrom } from './credentials.js';
import type { VaultTransitSignerOptions } from './options.js';
import { raceAbort, withRetry, type RetryPolicy } from './retry.js';
import { isKeyName, normalizePath, parseVaultUri } from './uri.js';
import { VaultAuth } from './vault-auth.js';
import type { SignerHealth } from './health.js';
import { vaultTransport } from './vault-http.js';

/** The key version this signer signs with and the public key of exactly that version. */
export interface PinnedKeyVersion {
  version: number;
  publicKey: Uint8Array;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 2_000;
// Long enough to ride out a few seconds of rate-limit window, short enough for a waiting person.
const DEFAULT_RETRY_DEADLINE_MS = 30_000;

export class VaultTransitSigner implements AsyncSigner {
  readonly provider = PROVIDER;
  /** `[namespace/]mount/keys/name`: the key's Vault path, for provenance. */
  readonly keyId: string;
  readonly keyName: string;
  readonly mountPath: string;
  readonly namespace: string | undefined;

  // Private fields (#) keep the client (which can hold a token) out of util.inspect and JSON.stringify.
  readonly #client: nodeVault.client;
  readonly #auth: VaultAuth;
  readonly #httpAgent: HttpAgent;
  readonly #httpsAgent: HttpsAgent;
  readonly #retry: RetryPolicy;
  #requestedVersion: number | undefined;
  #pinned: Promise<PinnedKeyVersion> | undefined;
  #closed = false;

  constructor(options: VaultTransitSignerOptions) {
    const mountPath = normalizePath(options.mountPath ?? 'transit');
    const namespace = options.namespace ? normalizePath(options.namespace) : undefined;
    this.keyName = options.keyName;
    this.mountPath = mountPath;
    this.namespace = namespace || undefined;
    this.keyId = `${this.namespace ? `${this.namespace}/` : ''}${mountPath}/keys/${options.keyName}`;
    const bad = (message: string) => new SignerError({ provider: PROVIDER, keyId: this.keyId, code: 'Misconfigured', retryable: false, message });

    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint);
    } catch {
      throw bad('endpoint is not a URL (expected e.g. https://vault.example.com:8200)');
    }
    if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw bad('endpoint must be an http:// or https:// URL');
    if (endpoint.username || endpoint.password) throw bad('endpoint must not carry credentials; use token or roleId');
    if (typeof options.keyName !== 'string' || !isKeyName(options.keyName)) {
      throw bad('keyName must be a transit key name (letters, digits, "-", "_", ".")');
    }
    if (!mountPath) throw bad('mountPath must not be empty');
    const credentials = credentialsFrom(options, bad);
    if (options.keyVersion !== undefined && (!Number.isSafeInteger(options.keyVersion) || options.keyVersion < 1)) {
      throw bad('keyVersion must be a positive integer');
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw bad('timeoutMs must be a positive number');
    const maxRetries = options.maxRetries;
    if (maxRetries !== undefined && (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 100)) {
      throw bad('maxRetries must be an integer from 0 to 100');
    }
    const deadlineMs = options.retryDeadlineMs ?? DEFAULT_RETRY_DEADLINE_MS;
    if (!Number.isFinite(deadlineMs) || deadlineMs < 0) throw bad('retryDeadlineMs must be a non-negative number');
    const baseDelayMs = options.retryBaseDelayMs ?? 100;
    if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) throw bad('retryBaseDelayMs must be a non-negative number');

    this.#requestedVersion = options.keyVersion;
    this.#retry = { maxRetries, deadlineMs, baseDelayMs, maxDelayMs: MAX_BACKOFF_MS };

    // Our own agents: the CA is pinned on them (VAULT_SKIP_VERIFY, which node-vault reads from
    // process.env, cannot switch verification off), keep-alive is on, and close() frees sockets.
    this.#httpAgent = new HttpAgent({ keepAlive: true });
    this.#httpsAgent = new HttpsAgent({
      keepAlive: true,
      rejectUnauthorized: true,
      ...(options.caCert ? { ca: typeof options.caCert === 'string' ? options.caCert : Buffer.from(options.caCert) } : {}),
    });
    this.#client = nodeVault({
      endpoint: endpoint.toString().replace(/\/$/, ''),
      // node-vault's debug output prints request bodies, which for AppRole logins hold the secret id.
      debug: () => undefined,
      // Our transport, so Retry-After survives a 429 (node-vault's drops response headers).
      'request-promise': vaultTransport(),
      requestOptions: { timeout: timeoutMs, httpAgent: this.#httpAgent, httpsAgent: this.#httpsAgent },
    });
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE / VAULT_PREFIX from process.env;
    // a constructor takes options only, so those fallbacks are cleared here.
    this.#client.token = undefined as unknown as string;
    (this.#client as { namespace?: string }).namespace = this.namespace;
    (this.#client as { pathPrefix?: string }).pathPrefix = '';
    this.#auth = new VaultAuth(this.#client, credentials, {
      classify: (e, operation, path, method) => this.#classify(e, operation, path, method),
      error: (code, message) => this.#error(code, message, false),
    });
  }

  /** Options from VAULT_ADDR, VAULT_TOKEN or VAULT_ROLE_ID/VAULT_SECRET_ID, VAULT_NAMESPACE, VAULT_CACERT, A1_VAULT_*. */
  static fromEnv(env: Environment = process.env, overrides: Partial<VaultTransitSignerOptions> = {}): VaultTransitSigner {
    const { options, caCertFile } = parseVaultEnv(env);
    let caCert = options.caCert;
    if (caCertFile) {
      try {
        caCert = readFileSync(caCertFile, 'utf8');
      } catch (e) {
        throw new SignerError({
          provider: PROVIDER,
          code: 'Misconfigured',
          retryable: false,
          message: `VAULT_CACERT names a file that cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        });
      }
    }
    return new VaultTransitSigner({ ...options, ...(caCert ? { caCert } : {}), ...overrides });
  }

  /** A signer for `hashivault://KEY?mount=...&version=N&namespace=NS`, address and auth from `env`. */
  static fromUri(uri: string, env: Environment = process.env): VaultTransitSigner {
    const ref = parseVaultUri(uri);
    return VaultTransitSigner.fromEnv({
      ...env,
      A1_VAULT_KEY: ref.keyName,
      A1_VAULT_MOUNT: ref.mountPath ?? env.A1_VAULT_MOUNT,
      A1_VAULT_KEY_VERSION: ref.keyVersion?.toString() ?? env.A1_VAULT_KEY_VERSION,
      VAULT_NAMESPACE: ref.namespace ?? env.VAULT_NAMESPACE,
    });
  }

  async verifyingKey(): Promise<Uint8Array> {
    const pinned = await this.#pinnedKey(undefined);
    return pinned.publicKey.slice();
  }

  /** The pinned key version and its public key (reads the key on first use). */
  async pinnedKeyVersion(): Promise<PinnedKeyVersion> {
    const pinned = await this.#pinnedKey(undefined);
    return { version: pinned.version, publicKey: pinned.publicKey.slice() };
  }

  /**
   * Moves to the key's latest version (dropping any `keyVersion` pin) and returns it. Call it
   * between issuances: a cert being built across a refresh fails `CertBuilder`'s signature check
   * instead of being issued.
   */
  async refresh(): Promise<PinnedKeyVersion> {
    this.#assertOpen();
    const latest = await this.#readKey(undefined, undefined);
    this.#requestedVersion = undefined;
    this.#pinned = Promise.resolve(latest);
    return { version: latest.version, publicKey: latest.publicKey.slice() };
  }

  async signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
    this.#assertOpen();
    if (!(message instanceof Uint8Array)) throw this.#error('Misconfigured', 'message must be a Uint8Array', false);
    const { signal } = opts;
    if (signal?.aborted) throw this.#aborted();
    const pinned = await this.#pinnedKey(signal);
    const path = `${this.mountPath}/sign/${this.keyName}`;
    const body = { input: Buffer.from(message).toString('base64'), key_version: pinned.version };
    const answer = (await this.#call('sign', path, (headers) => this.#client.write(path, body, { headers }), signal)) as {
      data?: { signature?: unknown; key_version?: unknown };
    };

    const parsed = parseVaultSignature(answer?.data?.signature);
    if (!parsed) throw this.#error('InvalidResponse', `Vault's sign answer has no "vault:v<N>:<base64>" signature`);
    const echoed = answer.data?.key_version;
    if (parsed.version !== pinned.version || (echoed !== undefined && echoed !== pinned.version)) {
      throw this.#error(
        'InvalidResponse',
        `Vault signed with key version ${parsed.version} but this signer is pinned to version ${pinned.version}; refusing a signature its verifying key does not match`,
        false,
      );
    }
    if (parsed.signature.length !== 64) {
      throw this.#error('InvalidResponse', `Vault returned a ${parsed.signature.length}-byte signature; Ed25519 signatures are 64 bytes`);
    }
    return parsed.signature;
  }

  /**
   * A readiness probe: one read of the key (no retries, no signing) checks that Vault answers,
   * that the credential works (logging in or renewing first if due), and that the key is a
   * non-derived ed25519 signing key with the pinned version (and its public key unchanged).
   * Never throws for a backend fault: `ok: false` and a `detail` saying what is wrong.
   */
  async health(opts: { signal?: AbortSignal } = {}): Promise<SignerHealth> {
    const started = performance.now();
    const answer = (ok: boolean, detail: string): SignerHealth => ({ ok, latencyMs: Math.round(performance.now() - started), keyId: this.keyId, detail });
    try {
      this.#assertOpen();
      const pinned = await this.#pinned?.catch(() => undefined);
      const read = await this.#readKey(pinned?.version ?? this.#requestedVersion, opts.signal, false);
      if (pinned && Buffer.compare(Buffer.from(pinned.publicKey), Buffer.from(read.publicKey)) !== 0) {
        return answer(false, `InvalidResponse: Vault now reports another public key for the pinned version ${pinned.version}`);
      }
      return answer(true, `key version ${read.version} is an ed25519 signing key and the credential is accepted`);
    } catch (e) {
      const failure = e instanceof SignerError ? e : this.#classify(e, 'health', `${this.mountPath}/keys/${this.keyName}`);
      return answer(false, `${failure.code}: ${failure.message}`);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  /** Single flight: concurrent first uses share one key read; a failed read is not cached. */
  #pinnedKey(signal: AbortSignal | undefined): Promise<PinnedKeyVersion> {
    this.#assertOpen();
    if (!this.#pinned) {
      const read = this.#readKey(this.#requestedVersion, undefined);
      this.#pinned = read;
      read.catch(() => {
        if (this.#pinned === read) this.#pinned = undefined;
      });
    }
    return raceAbort(this.#pinned, signal, () => this.#aborted());
  }

  async #readKey(version: number | undefined, signal: AbortSignal | undefined, retry = true): Promise<PinnedKeyVersion> {
    const path = `${this.mountPath}/keys/${this.keyName}`;
    const answer = (await this.#call('read-key', path, (headers) => this.#client.read(path, { headers }), signal, retry)) as {
      data?: Record<string, unknown>;
    };
    const data = answer?.data;
    if (!data || typeof data !== 'object') throw this.#error('InvalidResponse', `Vault's answer for ${path} has no "data"`);
    const where = `Vault key "${this.keyName}" (${this.keyId})`;
    if (data.type !== 'ed25519') {
      throw this.#error(
        'WrongKeyType',
        `${where} is type ${JSON.stringify(data.type)}, not "ed25519"; create one with: vault write ${this.mountPath}/keys/${this.keyName} type=ed25519`,
        false,
      );
    }
    if (data.supports_signing !== true) throw this.#error('WrongKeyType', `${where} does not support signing`, false);
    if (data.derived === true) {
      // A derived key's public key depends on a per-request context; an A1 root needs one fixed key.
      throw this.#error(
        'WrongKeyType',
        `${where} is a derived key (derived=true): it has no public key without a per-request context, and an A1 root key must have one fixed public key; create a non-derived key with: vault write ${this.mountPath}/keys/NEW_NAME type=ed25519`,
        false,
      );
    }
    const latest = data.latest_version;
    if (typeof latest !== 'number' || !Number.isSafeInteger(latest) || latest < 1) {
      throw this.#error('InvalidResponse', `${where}: latest_version is missing or not a positive integer`);
    }
    const chosen = version ?? latest;
    if (chosen > latest) throw this.#error('KeyNotFound', `${where} has no version ${chosen} (latest is ${latest})`, false);
    const minimum = typeof data.min_encryption_version === 'number' ? data.min_encryption_version : 0;
    if (minimum > 0 && chosen < minimum) {
      throw this.#error('KeyNotFound', `${where}: version ${chosen} is below min_encryption_version ${minimum} and cannot sign`, false);
    }
    const entry = (data.keys as Record<string, { public_key?: unknown }> | undefined)?.[String(chosen)];
    if (!entry) throw this.#error('KeyNotFound', `${where} has no version ${chosen} (it may have been trimmed)`, false);
    const publicKey = typeof entry.public_key === 'string' ? Buffer.from(entry.public_key, 'base64') : undefined;
    if (!publicKey || publicKey.length !== 32) {
      throw this.#error('InvalidResponse', `${where}: the public key of version ${chosen} is not 32 bytes of base64`);
    }
    // A small-order or non-point key (a compromised or intercepted answer) would let anyone forge certs.
    const source = `${where}: the public key of version ${chosen}`;
    return { version: chosen, publicKey: checkPinnedKey(new Uint8Array(publicKey), { provider: PROVIDER, keyId: this.keyId, source }) };
  }

  /**
   * One Vault call with retries. With AppRole, a 403 (expired or revoked token) triggers one
   * new login and one repeat inside the same attempt.
   */
  #call(
    operation: VaultOperation,
    path: string,
    send: (headers: Record<string, string>) => Promise<unknown>,
    signal: AbortSignal | undefined,
    retry = true,
  ): Promise<unknown> {
    const attempt = async (): Promise<unknown> => {
      const token = await this.#auth.token();
      try {
        return await send({ 'X-Vault-Token': token });
      } catch (e) {
        const failure = this.#classify(e, operation, path);
        if (!this.#auth.canLogInAgain || failure.code !== 'AccessDenied') throw failure;
        const fresh = await this.#auth.logInAgain(token);
        try {
          return await send({ 'X-Vault-Token': fresh });
        } catch (again) {
          throw this.#classify(again, operation, path);
        }
      }
    };
    const once = () => raceAbort(attempt(), signal, () => this.#aborted());
    return retry ? withRetry(once, this.#retry, () => this.#aborted(), signal) : once();
  }

  #classify(e: unknown, operation: VaultOperation, path: string, method?: LoginMethod): SignerError {
    return toSignerError(e, { operation, keyId: this.keyId, path, secrets: this.#auth.secrets(), ...(method ? { method } : {}) });
  }

  #error(code: SignerErrorCode, message: string, retryable?: boolean): SignerError {
    return new SignerError({ provider: PROVIDER, keyId: this.keyId, code, message, ...(retryable === undefined ? {} : { retryable }) });
  }

  #aborted(): SignerError {
    return this.#error('Aborted', 'the caller aborted the request', false);
  }

  #assertOpen(): void {
    if (this.#closed) throw this.#error('Misconfigured', 'this signer has been closed', false);
  }
}
