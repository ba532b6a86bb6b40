/**
 * `GcpKmsSigner`: an A1 `AsyncSigner` whose Ed25519 key stays in Cloud KMS. It fetches the
 * public key once (checking algorithm, checksum and SPKI), then signs with `data` plus
 * `dataCrc32c` and checks every checksum and the key name Cloud KMS sends back.
 */
import { KeyManagementServiceClient } from '@google-cloud/kms';
import type { AsyncSigner, SignOptions } from '@a1/core';
import { checkPinnedKey, SignerError } from '@a1/core';
import { crc32c } from '@node-rs/crc32';
import type { CallOptions, ClientOptions } from 'google-gax';
import { clientOptionsForEndpoint } from './client-options.js';
import { gcpKmsOptionsFromEnv } from './env.js';
import { invalidResponse, misconfigured, PROVIDER, toSignerError } from './errors.js';
import { checkKeyName, formatKeyName, parseKeyName } from './key-name.js';
import { versionProblem, type SignerHealth } from './health.js';
import { ed25519KeyFromPem } from './public-key.js';
import { aborted, DEFAULT_RETRY, RETRY_POLICY, withRetries, type RetryOptions } from './retry.js';
import { parseGcpKmsUri } from './uri.js';

export interface GcpKmsSignerOptions {
  /** Full CryptoKeyVersion name; or give the five parts below. */
  name?: string;
  project?: string;
  location?: string;
  keyRing?: string;
  key?: string;
  keyVersion?: string | number;
  /** A client you own (not closed by `close()`); otherwise one is made from `clientOptions`. */
  client?: KeyManagementServiceClient;
  /** Passed to `new KeyManagementServiceClient()`; merged over what `endpoint` implies. */
  clientOptions?: ClientOptions;
  /** `http://127.0.0.1:PORT` for the emulator, or `https://host[:port]` for a private endpoint. */
  endpoint?: string;
  /** Deadline of each RPC attempt (never past `retry.deadlineMs`). Default 10 000 ms. */
  timeoutMs?: number;
  /** Backoff with full jitter up to a total deadline (default 15 s); RetryInfo hints are honoured. */
  retry?: RetryOptions;
}

const ALGORITHM = 'EC_SIGN_ED25519';
/** CryptoKeyVersionAlgorithm number of EC_SIGN_ED25519, in case enums arrive as numbers. */
const ALGORITHM_NUMBER = 40;
const MAX_MESSAGE_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

interface Int64Value {
  value?: number | string | { toString(): string } | null;
}

/** True when an Int64Value checksum equals `actual` (int64 fields arrive as decimal strings). */
function checksumMatches(field: Int64Value | null | undefined, actual: number): boolean {
  const value = field?.value;
  if (value === null || value === undefined) return false;
  try {
    return BigInt(String(value)) === BigInt(actual);
  } catch {
    return false;
  }
}

export class GcpKmsSigner implements AsyncSigner {
  readonly provider = PROVIDER;
  /** The CryptoKeyVersion resource name. */
  readonly keyId: string;
  // ES private fields: the client (and any credentials it holds) never shows in
  // console.log(signer), util.inspect or JSON.stringify.
  readonly #client: KeyManagementServiceClient;
  readonly #ownsClient: boolean;
  readonly #timeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  #publicKey: Promise<Uint8Array> | undefined;

  constructor(options: GcpKmsSignerOptions) {
    if (options === null || typeof options !== 'object') throw misconfigured('options are required');
    const parts =
      options.name !== undefined
        ? parseKeyName(options.name)
        : checkKeyName({
            project: options.project,
            location: options.location,
            keyRing: options.keyRing,
            key: options.key,
            keyVersion: options.keyVersion,
          });
    this.keyId = formatKeyName(parts);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.#timeoutMs) || this.#timeoutMs <= 0) {
      throw misconfigured('timeoutMs must be a positive number', this.keyId);
    }
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!Number.isInteger(this.#retry.maxAttempts) || this.#retry.maxAttempts < 1) {
      throw misconfigured('retry.maxAttempts must be an integer of at least 1', this.keyId);
    }
    if (!Number.isFinite(this.#retry.deadlineMs) || this.#retry.deadlineMs <= 0) {
      throw misconfigured('retry.deadlineMs must be a positive number', this.keyId);
    }
    if (options.client) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      const fromEndpoint = options.endpoint ? clientOptionsForEndpoint(options.endpoint) : {};
      this.#client = new KeyManagementServiceClient({ ...fromEndpoint, ...options.clientOptions });
      this.#ownsClient = true;
    }
  }

  /**
   * From A1_GCP_PROJECT, A1_GCP_LOCATION, A1_GCP_KEY_RING, A1_GCP_KEY, A1_GCP_KEY_VERSION,
   * GOOGLE_APPLICATION_CREDENTIALS and (for an emulator) A1_GCP_KMS_ENDPOINT.
   */
  static fromEnv(
    env: Record<string, string | undefined> = process.env,
    overrides: Omit<GcpKmsSignerOptions, 'name' | 'project' | 'location' | 'keyRing' | 'key' | 'keyVersion'> = {},
  ): GcpKmsSigner {
    const fromEnv = gcpKmsOptionsFromEnv(env);
    const clientOptions: ClientOptions = { ...overrides.clientOptions };
    if (fromEnv.keyFilename && !fromEnv.endpoint?.startsWith('http:')) clientOptions.keyFilename = fromEnv.keyFilename;
    return new GcpKmsSigner({
      endpoint: fromEnv.endpoint,
      ...overrides,
      name: fromEnv.name,
      clientOptions,
    });
  }

  /** From `gcpkms://projects/…/cryptoKeyVersions/N[?endpoint=…]`. */
  static fromUri(uri: string, overrides: Omit<GcpKmsSignerOptions, 'name'> = {}): GcpKmsSigner {
    const parsed = parseGcpKmsUri(uri);
    return new GcpKmsSigner({ endpoint: parsed.endpoint, ...overrides, name: parsed.name });
  }

  /** The 32-byte Ed25519 key; one GetPublicKey per signer, shared by concurrent first callers. */
  verifyingKey(): Promise<Uint8Array> {
    if (!this.#publicKey) {
      const pending = this.#fetchPublicKey();
      this.#publicKey = pending;
      // A failed fetch is not cached: the next call asks again.
      pending.catch(() => {
        if (this.#publicKey === pending) this.#publicKey = undefined;
      });
    }
    return this.#publicKey.then((key) => new Uint8Array(key));
  }

  async signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
    const { signal } = opts;
    if (!(message instanceof Uint8Array) || message.length === 0 || message.length > MAX_MESSAGE_BYTES) {
      throw misconfigured(`the message must be a Uint8Array of 1 to ${MAX_MESSAGE_BYTES} bytes`, this.keyId);
    }
    if (signal?.aborted) throw aborted(this.keyId, signal);
    // First use checks the key is Ed25519 before anything is signed with it.
    await this.#abortable(this.verifyingKey(), signal);
    const data = Buffer.from(message);
    const dataCrc32c = crc32c(data);
    return withRetries(
      (remainingMs) => this.#signOnce(data, dataCrc32c, signal, remainingMs),
      RETRY_POLICY,
      this.#retry,
      signal,
      () => aborted(this.keyId, signal),
    );
  }

  /**
   * A readiness probe without signing: one GetCryptoKeyVersion (no retries, `timeoutMs`) checks
   * that Cloud KMS answers, that the credentials are accepted, and that the version is ENABLED and
   * EC_SIGN_ED25519; before first use, one GetPublicKey checks the public key can be read too. Needs `cloudkms.cryptoKeyVersions.get` (roles/cloudkms.viewer; not in
   * signerVerifier). Never throws for a backend fault: `ok: false` with a `detail`.
   */
  async health(opts: { signal?: AbortSignal } = {}): Promise<SignerHealth> {
    const started = performance.now();
    const answer = (ok: boolean, detail: string): SignerHealth => ({ ok, latencyMs: Math.round(performance.now() - started), keyId: this.keyId, detail });
    try {
      if (opts.signal?.aborted) throw aborted(this.keyId, opts.signal);
      let version;
      try {
        [version] = await this.#abortable(this.#client.getCryptoKeyVersion({ name: this.keyId }, this.#callOptions(this.#timeoutMs)), opts.signal);
      } catch (err) {
        throw toSignerError(err, this.keyId, 'GetCryptoKeyVersion');
      }
      const problem = versionProblem(this.keyId, version);
      if (problem) return answer(false, problem);
      // Not used yet: the public key must be readable too (checksum, SPKI), or the first signature would fail.
      if (!this.#publicKey) await this.#abortable(this.#fetchPublicKeyOnce(this.#timeoutMs), opts.signal);
      return answer(true, 'the key version is ENABLED and EC_SIGN_ED25519, and the credentials are accepted');
    } catch (err) {
      const failure = err instanceof SignerError ? err : toSignerError(err, this.keyId, 'GetCryptoKeyVersion');
      const hint = failure.code === 'AccessDenied' ? ' (health() needs cloudkms.cryptoKeyVersions.get, e.g. roles/cloudkms.viewer)' : '';
      return answer(false, `${failure.code}: ${failure.message}${hint}`);
    }
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  #callOptions(remainingMs: number): CallOptions {
    // Retries are ours (see retry.ts); the client makes exactly one attempt per call, never past the retry deadline.
    return { timeout: Math.min(this.#timeoutMs, remainingMs), retry: null };
  }

  /** Settles with `promise`, or rejects with `Aborted` as soon as the signal fires. */
  #abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return promise;
    if (signal.aborted) {
      // The call may still settle later; nobody waits for it.
      promise.catch(() => {});
      return Promise.reject(aborted(this.keyId, signal));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(aborted(this.keyId, signal));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  async #fetchPublicKey(): Promise<Uint8Array> {
    return withRetries((remainingMs) => this.#fetchPublicKeyOnce(remainingMs), RETRY_POLICY, this.#retry, undefined, () => aborted(this.keyId, undefined));
  }

  async #fetchPublicKeyOnce(remainingMs: number): Promise<Uint8Array> {
    let answer;
    try {
      [answer] = await this.#client.getPublicKey({ name: this.keyId }, this.#callOptions(remainingMs));
    } catch (err) {
      throw toSignerError(err, this.keyId, 'GetPublicKey');
    }
    if (!answer || typeof answer !== 'object') throw invalidResponse(this.keyId, 'GetPublicKey returned no answer');
    if (answer.name && answer.name !== this.keyId) {
      throw invalidResponse(this.keyId, `GetPublicKey answered for another key version (${answer.name})`, false);
    }
    const algorithm = answer.algorithm as unknown;
    if (algorithm !== ALGORITHM && algorithm !== ALGORITHM_NUMBER) {
      throw new SignerError({
        provider: PROVIDER,
        keyId: this.keyId,
        code: 'WrongKeyType',
        retryable: false,
        message: `the key is ${String(algorithm)}, not ${ALGORITHM}; A1 needs an Ed25519 asymmetric-signing key (create one with --default-algorithm ec-sign-ed25519)`,
      });
    }
    const pem = typeof answer.pem === 'string' ? answer.pem : '';
    if (!checksumMatches(answer.pemCrc32c, crc32c(Buffer.from(pem, 'utf8')))) {
      throw invalidResponse(this.keyId, 'GetPublicKey: pemCrc32c does not match the PEM (damaged in transit)');
    }
    const key = ed25519KeyFromPem(pem);
    if (typeof key === 'string') throw invalidResponse(this.keyId, `GetPublicKey: ${key}`);
    // A small-order or non-point key would let one constant signature verify for every message:
    // an answer carrying one is compromised or forged, never a key to pin. Core's shared check
    // (InvalidResponse, not retryable), as every signer applies where it pins its key.
    return checkPinnedKey(key, { provider: PROVIDER, keyId: this.keyId, source: 'GetPublicKey answer' });
  }

  async #signOnce(data: Buffer, dataCrc32c: number, signal: AbortSignal | undefined, remainingMs: number): Promise<Uint8Array> {
    let answer;
    try {
      [answer] = await this.#abortable(
        this.#client.asymmetricSign({ name: this.keyId, data, dataCrc32c: { value: dataCrc32c } }, this.#callOptions(remainingMs)),
        signal,
      );
    } catch (err) {
      throw toSignerError(err, this.keyId, 'AsymmetricSign');
    }
    if (!answer || typeof answer !== 'object') throw invalidResponse(this.keyId, 'AsymmetricSign returned no answer');
    if (answer.name !== this.keyId) {
      throw invalidResponse(this.keyId, `AsymmetricSign answered for another key version (${String(answer.name)})`, false);
    }
    if (answer.verifiedDataCrc32c !== true) {
      throw invalidResponse(this.keyId, 'AsymmetricSign: Cloud KMS did not verify dataCrc32c (request may be damaged)');
    }
    const signature = answer.signature instanceof Uint8Array ? answer.signature : new Uint8Array(0);
    if (!checksumMatches(answer.signatureCrc32c, crc32c(signature))) {
      throw invalidResponse(this.keyId, 'AsymmetricSign: signatureCrc32c does not match the signature (damaged in transit)');
    }
    if (signature.length !== 64) {
      throw invalidResponse(this.keyId, `AsymmetricSign returned a ${signature.length}-byte signature, not 64 bytes`);
    }
    return new Uint8Array(signature);
  }
}
