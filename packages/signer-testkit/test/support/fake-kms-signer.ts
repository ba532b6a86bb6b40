/**
 * A signer for the in-process FakeBackend, written the way a real KMS signer should be, with
 * switchable defects so tests can prove each conformance check catches the bug it targets.
 */
import { LocalSigner, SignerError, type AsyncSigner, type SignerErrorCode, type SignOptions } from '@a1/core';
import { BackendError, type FakeBackend, type Operation } from './fake-backend.js';

export type Defect =
  /** Returns signatures made by some other key. */
  | 'signs-with-wrong-key'
  /** Puts its token into error messages. */
  | 'leaks-token-in-errors'
  /** Logs its token through console.warn when a call fails. */
  | 'logs-token'
  /** Keeps its token in a public field (shows in console.log(signer)). */
  | 'token-in-field'
  /** Reads the public key from the backend on every call. */
  | 'refetches-public-key'
  /** Caches the key only after a fetch completes, so simultaneous first uses all fetch. */
  | 'no-cold-start-dedupe'
  /** Throws plain Errors instead of SignerError. */
  | 'untyped-errors'
  /** Accepts whatever key type the backend has. */
  | 'skips-key-type-check'
  /** Reports every failure as retryable. */
  | 'always-retryable'
  /** Drops the backend's error instead of keeping it as cause. */
  | 'drops-cause'
  /** Names another provider in its errors. */
  | 'wrong-provider'
  /** Leaves keyId out of its errors. */
  | 'no-key-id-in-errors'
  /** Ignores an aborted signal. */
  | 'ignores-abort'
  /** When the backend fails a Sign, signs anyway with a copy of the key (a cert gets out). */
  | 'signs-despite-failure'
  /** Returns whichever signature arrived last: fine one at a time, swapped under concurrency. */
  | 'races-signatures'
  /** Passes a 31-byte public key through. */
  | 'short-public-key';

export interface FakeKmsSignerOptions {
  backend: FakeBackend;
  keyName: string;
  token: string;
  /** Per-call deadline; a hung backend call ends in a Timeout SignerError. */
  timeoutMs?: number;
  defects?: readonly Defect[];
}

export class FakeKmsSigner implements AsyncSigner {
  readonly provider = 'fake-kms';
  readonly keyId: string;
  readonly #backend: FakeBackend;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #defects: ReadonlySet<Defect>;
  #key: Promise<Uint8Array> | undefined;
  #settledKey: Uint8Array | undefined;
  #lastSignature: Uint8Array | undefined;
  /** Set only by the `token-in-field` defect. */
  token?: string;
  closed = false;

  constructor(options: FakeKmsSignerOptions) {
    this.keyId = `fake://keys/${options.keyName}`;
    this.#backend = options.backend;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#defects = new Set(options.defects ?? []);
    if (this.#defects.has('token-in-field')) this.token = options.token;
  }

  private get keyName(): string {
    return this.keyId.slice('fake://keys/'.length);
  }

  verifyingKey(): Promise<Uint8Array> {
    if (this.#defects.has('refetches-public-key')) return this.#fetchKey();
    if (this.#defects.has('no-cold-start-dedupe')) {
      if (this.#settledKey) return Promise.resolve(this.#settledKey);
      return this.#fetchKey().then((key) => (this.#settledKey = key));
    }
    // Cache the promise, not the result, so simultaneous first uses share one fetch.
    this.#key ??= this.#fetchKey().catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  async signMessage(message: Uint8Array, opts?: SignOptions): Promise<Uint8Array> {
    await this.verifyingKey(); // first use checks the key type, whichever call comes first
    if (opts?.signal?.aborted && !this.#defects.has('ignores-abort')) {
      throw this.#error('Aborted', 'signing aborted by the caller', { cause: opts.signal.reason });
    }
    let signature: Uint8Array;
    try {
      signature = await this.#call('Sign', (signal) => this.#backend.sign(this.#token, this.keyName, message, signal), opts?.signal);
    } catch (error) {
      if (!this.#defects.has('signs-despite-failure')) throw error;
      signature = this.#backend.keys.get(this.keyName)!.signer.signMessage(message);
    }
    if (signature.length !== 64) throw this.#error('InvalidResponse', `backend returned a ${signature.length}-byte signature`);
    if (this.#defects.has('signs-with-wrong-key')) return LocalSigner.generate().signMessage(message);
    if (this.#defects.has('races-signatures')) {
      this.#lastSignature = signature;
      await new Promise((resolve) => setImmediate(resolve));
      return this.#lastSignature;
    }
    return signature;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async #fetchKey(): Promise<Uint8Array> {
    const answer = await this.#call('GetPublicKey', (signal) => this.#backend.getPublicKey(this.#token, this.keyName, signal));
    if (answer.type !== 'ed25519' && !this.#defects.has('skips-key-type-check')) {
      throw this.#error('WrongKeyType', `key ${this.keyName} is ${answer.type}, not Ed25519; create an Ed25519 key`, {
        retryable: false,
      });
    }
    if (this.#defects.has('short-public-key')) return answer.publicKey.slice(0, 31);
    if (answer.publicKey.length !== 32) {
      throw this.#error('InvalidResponse', `backend returned a ${answer.publicKey.length}-byte public key`);
    }
    return answer.publicKey;
  }

  /** One backend call under a deadline, with its failure mapped to a SignerError. */
  async #call<T>(operation: Operation, run: (signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
    try {
      return await run(signal);
    } catch (cause) {
      if (this.#defects.has('logs-token')) console.warn(`fake-kms ${operation} failed; token ${this.#token}`);
      if (callerSignal?.aborted) throw this.#error('Aborted', `${operation} aborted by the caller`, { cause });
      if (deadline.aborted) throw this.#error('Timeout', `${operation} got no answer within ${this.#timeoutMs} ms`, { cause });
      if (!(cause instanceof BackendError)) throw this.#error('BackendError', `${operation} failed`, { cause });
      const code: SignerErrorCode =
        cause.status === 429
          ? 'Throttled'
          : cause.status >= 500
            ? 'Unavailable'
            : cause.status === 403
              ? 'AccessDenied'
              : cause.status === 404
                ? 'KeyNotFound'
                : 'BackendError';
      throw this.#error(code, `${operation} failed: ${cause.type}`, { cause });
    }
  }

  #error(code: SignerErrorCode, message: string, extra: { retryable?: boolean; cause?: unknown } = {}): Error {
    const text = this.#defects.has('leaks-token-in-errors') ? `${message} (token ${this.#token})` : message;
    if (this.#defects.has('untyped-errors')) return new Error(text);
    return new SignerError({
      provider: this.#defects.has('wrong-provider') ? 'some-other-kms' : this.provider,
      keyId: this.#defects.has('no-key-id-in-errors') ? undefined : this.keyId,
      code,
      retryable: this.#defects.has('always-retryable') ? true : extra.retryable,
      message: text,
      cause: this.#defects.has('drops-cause') ? undefined : extra.cause,
    });
  }
}
