/**
 * `AwsKmsSigner`: an A1 `AsyncSigner` whose Ed25519 root key lives in AWS KMS
 * (`ECC_NIST_EDWARDS25519`). The private key never leaves KMS; this class holds only the
 * public key and ARN pinned at first use.
 */
import { inspect } from 'node:util';
import { SignerError, type AsyncSigner, type SignOptions } from '@a1/core';
import { DescribeKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand, type SignCommandOutput } from '@aws-sdk/client-kms';
import { startDeadline } from './deadline.js';
import { awsKmsOptionsFromEnv, type Env } from './env.js';
import { toSignerError, type KmsCall } from './errors.js';
import { keyProblem, type SignerHealth } from './health.js';
import { AWS_KMS_PROVIDER, keyIdProblem, parseKeyId } from './key-id.js';
import { misconfigured } from './misconfigured.js';
import { DEFAULT_TIMEOUT_MS, grantTokensOf, retryOptions, type AwsKmsSignerOptions } from './options.js';
import { RETRY_POLICY, withRetries, type RetryOptions } from './retry.js';
import { pinKey, PURE_ED25519, type PinnedKey } from './pinned-key.js';
import { parseAwsKmsUri } from './uri.js';

/** KMS signs RAW messages of 1 to 4096 bytes; A1 signs 32. */
const MAX_RAW_MESSAGE_BYTES = 4096;

export class AwsKmsSigner implements AsyncSigner {
  readonly provider = AWS_KMS_PROVIDER;
  /** The key as configured (key id, ARN, alias). `keyArn` is what KMS resolved it to. */
  readonly keyId: string;
  // True private fields: util.inspect and JSON.stringify never reach the client's credentials.
  readonly #client: KMSClient;
  readonly #ownsClient: boolean;
  readonly #timeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #grantTokens: string[] | undefined;
  #pinned: Promise<PinnedKey> | undefined;
  #keyArn: string | undefined;
  #closed = false;

  constructor(options: AwsKmsSignerOptions) {
    const problem = keyIdProblem(options?.keyId);
    if (problem) throw misconfigured(problem);
    this.keyId = options.keyId;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw misconfigured('timeoutMs must be a positive number', this.keyId);
    this.#timeoutMs = timeoutMs;
    this.#retry = retryOptions(options, this.keyId);
    this.#grantTokens = grantTokensOf(options.grantTokens, this.keyId);

    if (options.client) {
      const extras = (['region', 'endpoint', 'clientConfig'] as const).filter((k) => options[k] !== undefined);
      if (extras.length > 0) {
        throw misconfigured(`${extras.join(', ')} cannot be combined with an injected client; configure the client instead`, this.keyId);
      }
      this.#client = options.client;
      this.#ownsClient = false;
      return;
    }
    const region = options.region ?? options.clientConfig?.region ?? parseKeyId(this.keyId)?.region;
    const endpoint = options.endpoint ?? options.clientConfig?.endpoint;
    this.#client = new KMSClient({
      ...options.clientConfig,
      ...(region !== undefined ? { region } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
      // One attempt per SDK call: the signer's own retries (retry.ts) are the only ones.
      maxAttempts: 1,
    });
    this.#ownsClient = true;
  }

  /** From `A1_KMS_KEY_ID`, `AWS_REGION`, `AWS_ENDPOINT_URL_KMS` and the credential chain (see `awsKmsOptionsFromEnv`). */
  static fromEnv(env: Env = process.env, overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
    return new AwsKmsSigner({ ...awsKmsOptionsFromEnv(env), ...overrides });
  }

  /** From `awskms:///alias/name?region=…` or `awskms://HOST:PORT/alias/name?region=…`. */
  static fromUri(uri: string, overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
    return new AwsKmsSigner({ ...parseAwsKmsUri(uri), ...overrides });
  }

  /** The key ARN KMS resolved `keyId` to, once the key has been fetched; undefined before. */
  get keyArn(): string | undefined {
    return this.#keyArn;
  }

  async verifyingKey(): Promise<Uint8Array> {
    const key = await this.#pinnedKey(undefined);
    return key.publicKey.slice();
  }

  async signMessage(message: Uint8Array, options: SignOptions = {}): Promise<Uint8Array> {
    if (!(message instanceof Uint8Array) || message.length < 1 || message.length > MAX_RAW_MESSAGE_BYTES) {
      throw new SignerError({
        provider: this.provider,
        keyId: this.keyId,
        code: 'BackendError',
        retryable: false,
        message: `message must be 1 to ${MAX_RAW_MESSAGE_BYTES} bytes (KMS RAW limit), got ${message instanceof Uint8Array ? message.length : typeof message}`,
      });
    }
    const key = await this.#pinnedKey(options.signal);
    const answer = await this.#callWithRetries('Sign', options.signal, (abortSignal) =>
      this.#client.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: message,
          MessageType: 'RAW',
          SigningAlgorithm: PURE_ED25519,
          ...(this.#grantTokens ? { GrantTokens: this.#grantTokens } : {}),
        }),
        { abortSignal },
      ),
    );
    return this.#checkSignature(answer, key);
  }

  /**
   * A readiness probe without signing: one DescribeKey (no retries, `timeoutMs`) checks that KMS
   * answers, that the credentials are accepted, and that the key is an Enabled
   * ECC_NIST_EDWARDS25519 / SIGN_VERIFY key offering ED25519_SHA_512 (and still the pinned ARN);
   * before first use, one GetPublicKey checks the public key can be read and parsed too.
   * Needs `kms:DescribeKey`. Never throws for a backend fault: `ok: false` with a `detail`.
   */
  async health(options: { signal?: AbortSignal } = {}): Promise<SignerHealth> {
    const started = performance.now();
    const answer = (ok: boolean, detail: string): SignerHealth => ({
      ok,
      latencyMs: Math.round(performance.now() - started),
      keyId: this.keyId,
      detail,
    });
    try {
      const described = await this.#call(
        'DescribeKey',
        options.signal,
        (abortSignal) =>
          this.#client.send(
            new DescribeKeyCommand({ KeyId: this.keyId, ...(this.#grantTokens ? { GrantTokens: this.#grantTokens } : {}) }),
            { abortSignal },
          ),
        this.#timeoutMs,
      );
      const problem = keyProblem(described, this.#keyArn);
      if (problem) return answer(false, problem);
      if (!this.#pinned) {
        // Not used yet: the public key must be readable too, or the first signature would fail.
        const publicKey = await this.#call(
          'GetPublicKey',
          options.signal,
          (abortSignal) =>
            this.#client.send(
              new GetPublicKeyCommand({ KeyId: this.keyId, ...(this.#grantTokens ? { GrantTokens: this.#grantTokens } : {}) }),
              { abortSignal },
            ),
          this.#timeoutMs,
        );
        pinKey(this.keyId, publicKey);
      }
      return answer(true, `${described.KeyMetadata!.Arn} is an Enabled Ed25519 signing key and the credentials are accepted`);
    } catch (err) {
      const failure = err instanceof SignerError ? err : toSignerError(err, { keyId: this.keyId, call: 'DescribeKey', timeoutMs: this.#timeoutMs });
      const hint = failure.code === 'AccessDenied' ? ' (health() needs kms:DescribeKey on the key)' : '';
      return answer(false, `${failure.code}: ${failure.message}${hint}`);
    }
  }

  /** Destroys the client the signer created (sockets); an injected client is left to its owner. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsClient) this.#client.destroy();
  }

  toJSON(): { provider: string; keyId: string; keyArn?: string } {
    return { provider: this.provider, keyId: this.keyId, ...(this.#keyArn ? { keyArn: this.#keyArn } : {}) };
  }

  [inspect.custom](): string {
    return `AwsKmsSigner ${JSON.stringify(this.toJSON())}`;
  }

  /** The key pinned at first use; concurrent first calls share one GetPublicKey. */
  async #pinnedKey(callerSignal: AbortSignal | undefined): Promise<PinnedKey> {
    if (!this.#pinned) {
      // The shared fetch has its own deadline: one caller's abort must not fail the others.
      const fetching = this.#callWithRetries('GetPublicKey', undefined, (abortSignal) =>
        this.#client.send(
          new GetPublicKeyCommand({ KeyId: this.keyId, ...(this.#grantTokens ? { GrantTokens: this.#grantTokens } : {}) }),
          { abortSignal },
        ),
      ).then((answer) => pinKey(this.keyId, answer));
      this.#pinned = fetching;
      fetching.then(
        (key) => {
          this.#keyArn = key.arn;
        },
        () => {
          // Failures are not cached: the next call asks KMS again.
          if (this.#pinned === fetching) this.#pinned = undefined;
        },
      );
    }
    if (!callerSignal) return this.#pinned;
    // Waiting on the shared fetch: only this caller's abort applies (the fetch has its own deadline).
    const deadline = startDeadline(undefined, callerSignal);
    try {
      return await Promise.race([this.#pinned, deadline.fired]);
    } catch (err) {
      throw toSignerError(err, { keyId: this.keyId, call: 'GetPublicKey', stopped: deadline.stopped, timeoutMs: this.#timeoutMs });
    } finally {
      deadline.dispose();
    }
  }

  /** One SDK call, retried per retry.ts while the error is transient and the retry deadline allows. */
  #callWithRetries<T>(call: KmsCall, callerSignal: AbortSignal | undefined, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetries(
      (remainingMs) => this.#call(call, callerSignal, send, Math.min(this.#timeoutMs, remainingMs)),
      RETRY_POLICY,
      this.#retry,
      callerSignal,
      () => toSignerError(callerSignal?.reason, { keyId: this.keyId, call, stopped: 'aborted', timeoutMs: this.#timeoutMs }),
    );
  }

  /** One SDK call under one attempt's deadline and the caller's signal, with errors mapped. */
  async #call<T>(
    call: KmsCall,
    callerSignal: AbortSignal | undefined,
    send: (abortSignal: AbortSignal) => Promise<T>,
    timeoutMs: number,
  ): Promise<T> {
    if (this.#closed) throw misconfigured('the signer is closed', this.keyId);
    const deadline = startDeadline(timeoutMs, callerSignal);
    try {
      if (deadline.stopped) throw new Error('stopped before the call');
      return await Promise.race([send(deadline.signal), deadline.fired]);
    } catch (err) {
      throw toSignerError(err, { keyId: this.keyId, call, stopped: deadline.stopped, timeoutMs });
    } finally {
      deadline.dispose();
    }
  }

  #checkSignature(answer: SignCommandOutput, key: PinnedKey): Uint8Array {
    const fail = (code: 'InvalidResponse' | 'SignatureMismatch', retryable: boolean, message: string) =>
      new SignerError({ provider: this.provider, keyId: this.keyId, code, retryable, message });
    if (answer.KeyId !== key.arn) {
      // The alias now points elsewhere: a signature by that key would not match the pinned public key.
      throw fail('SignatureMismatch', false, `KMS signed with ${answer.KeyId ?? 'an unnamed key'}, not the pinned ${key.arn}`);
    }
    if (answer.SigningAlgorithm !== PURE_ED25519) {
      throw fail('InvalidResponse', false, `KMS signed with ${answer.SigningAlgorithm ?? 'no stated algorithm'}, not ${PURE_ED25519}`);
    }
    const signature = answer.Signature;
    if (!(signature instanceof Uint8Array) || signature.length !== 64) {
      throw fail('InvalidResponse', true, `Sign answer is not a 64-byte Ed25519 signature (got ${signature?.length ?? 0} bytes)`);
    }
    return signature;
  }
}
