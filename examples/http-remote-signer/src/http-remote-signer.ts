/**
 * An A1 `AsyncSigner` whose Ed25519 key lives in a remote signing service reached over HTTP
 * (the protocol of `key-server.ts`). Everything a signer owes @a1/core is here:
 * - the public key is fetched once, checked (type, length) and cached, concurrent first uses share one fetch;
 * - `signMessage` sends exactly the 32 bytes it is given and returns exactly 64 bytes;
 * - every failure is a `SignerError` with a code, `retryable`, the cause, and never the token.
 * It does not verify signatures itself: `CertBuilder` does that for every signer, once.
 */
import { SignerError, type AsyncSigner, type SignerErrorCode, type SignOptions } from '@a1/core';
import { fromHex, toHex } from './hex.js';

export const HTTP_REMOTE_PROVIDER = 'http-remote';

export interface HttpRemoteSignerOptions {
  /** Base URL of the signing service, e.g. `https://signer.internal:8443`. */
  url: string;
  /** Name of the key on the service. */
  keyName: string;
  /** Bearer token. Kept in a private field: never logged, serialized or put in an error. */
  token: string;
  /** Deadline for each request, in ms. Default 10 000. */
  timeoutMs?: number;
  /** A `fetch` to use instead of the global one (proxies, custom TLS agents, tests). */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class HttpRemoteSigner implements AsyncSigner {
  readonly provider = HTTP_REMOTE_PROVIDER;
  /** Where the key lives, for provenance: `<url>/v1/keys/<name>`. */
  readonly keyId: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #base: URL;
  readonly #keyName: string;
  #publicKey: Promise<Uint8Array> | undefined;

  constructor(options: HttpRemoteSignerOptions) {
    const misconfigured = (message: string) => new SignerError({ provider: HTTP_REMOTE_PROVIDER, code: 'Misconfigured', retryable: false, message });
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw misconfigured('url is not a valid URL');
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw misconfigured(`url must be http(s), got ${base.protocol}`);
    if (!options.keyName) throw misconfigured('keyName is required');
    if (!options.token) throw misconfigured('token is required');
    this.#base = base;
    this.#keyName = options.keyName;
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.keyId = new URL(`v1/keys/${encodeURIComponent(options.keyName)}`, withSlash(base)).href;
  }

  /** The 32-byte Ed25519 public key: fetched and checked on first use, then cached. */
  verifyingKey(): Promise<Uint8Array> {
    this.#publicKey ??= this.#fetchPublicKey().catch((error: unknown) => {
      this.#publicKey = undefined; // a failed fetch is not cached: the next call tries again
      throw error;
    });
    return this.#publicKey;
  }

  async signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
    if (opts.signal?.aborted) throw this.#error('Aborted', 'signing aborted by the caller', false, opts.signal.reason);
    await this.verifyingKey(); // a wrong key type is refused before anything is signed
    const answer = await this.#request('POST', 'sign', { message: toHex(message) }, opts.signal);
    const signature = typeof answer.signature === 'string' ? fromHex(answer.signature) : undefined;
    if (!signature || signature.length !== 64) {
      throw this.#error('InvalidResponse', `the service answered a signature of ${signature?.length ?? 'no'} bytes, expected 64`);
    }
    return signature;
  }

  /**
   * Readiness probe: one fresh key read (no signing, nothing cached), checked as on first use.
   * Never throws for a backend fault: `ok: false` with what went wrong (never the token).
   */
  async health(): Promise<{ ok: boolean; latencyMs: number; keyId: string; detail: string }> {
    const started = performance.now();
    const answer = (ok: boolean, detail: string) => ({ ok, latencyMs: Math.round(performance.now() - started), keyId: this.keyId, detail });
    try {
      await this.#fetchPublicKey();
      return answer(true, 'the key is readable and is an Ed25519 key');
    } catch (error) {
      return answer(false, error instanceof SignerError ? `${error.code}: ${error.message}` : 'the key could not be read');
    }
  }

  /** Nothing to release: fetch pools its own connections. Present so callers can always `close?.()`. */
  async close(): Promise<void> {}

  /** What `console.log(signer)` shows: no token. */
  toJSON(): { provider: string; keyId: string } {
    return { provider: this.provider, keyId: this.keyId };
  }

  async #fetchPublicKey(): Promise<Uint8Array> {
    const answer = await this.#request('GET', '', undefined, undefined);
    if (answer.type !== 'ed25519') {
      throw this.#error('WrongKeyType', `key "${this.#keyName}" is ${String(answer.type)}, not ed25519: A1 needs an Ed25519 key`, false);
    }
    const publicKey = typeof answer.publicKey === 'string' ? fromHex(answer.publicKey) : undefined;
    if (!publicKey || publicKey.length !== 32) throw this.#error('InvalidResponse', 'the service answered a public key that is not 32 bytes');
    return publicKey;
  }

  /** One HTTP exchange, every failure mapped to a SignerError. */
  async #request(method: 'GET' | 'POST', action: string, body: unknown, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const url = action ? `${this.keyId}/${action}` : this.keyId;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw this.#error('Aborted', 'signing aborted by the caller', false, error);
      if (timeout.aborted) throw this.#error('Timeout', `no answer within ${this.#timeoutMs} ms`, true, error);
      throw this.#error('Unavailable', 'the signing service could not be reached', true, error);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (error) {
      if (timeout.aborted) throw this.#error('Timeout', `no answer within ${this.#timeoutMs} ms`, true, error);
      throw this.#error('InvalidResponse', `HTTP ${response.status} with a body that is not JSON`, true, error);
    }
    if (!response.ok) {
      const reason = typeof (answer as { error?: unknown })?.error === 'string' ? (answer as { error: string }).error : 'no reason given';
      // The cause is a plain error built from the status and the service's reason: never the request (it holds the token).
      const cause = new Error(`HTTP ${response.status}: ${reason}`);
      const code = codeForStatus(response.status);
      throw this.#error(code, `${method} ${action || 'key'} failed with HTTP ${response.status}: ${reason}`, undefined, cause);
    }
    if (typeof answer !== 'object' || answer === null) throw this.#error('InvalidResponse', 'the service answered JSON that is not an object');
    return answer as Record<string, unknown>;
  }

  #error(code: SignerErrorCode, message: string, retryable?: boolean, cause?: unknown): SignerError {
    return new SignerError({ provider: this.provider, keyId: this.keyId, code, message, ...(retryable === undefined ? {} : { retryable }), ...(cause === undefined ? {} : { cause }) });
  }
}

function codeForStatus(status: number): SignerErrorCode {
  if (status === 401 || status === 403) return 'AccessDenied';
  if (status === 404) return 'KeyNotFound';
  if (status === 429) return 'Throttled';
  if (status >= 500) return 'Unavailable';
  return 'BackendError';
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.pathname}/`, url);
}
