/**
 * `Pkcs11Signer`: an `AsyncSigner` whose Ed25519 key stays inside a PKCS#11 token.
 *
 * First use loads the module (shared per process), finds the token, logs in, finds the key and
 * its public twin, checks it is Ed25519 and caches the public key. Signs run `C_SignInit`
 * + `C_SignAsync` (pkcs11js's worker-thread variant, so the event loop is not blocked) with
 * `CKM_EDDSA` on a pool of logged-in sessions. When the token drops our sessions, login or key
 * handle, the signer reconnects once and retries the sign once.
 */
import { SignerError, type AsyncSigner, type SignOptions } from '@a1/core';
import pkcs11js from 'pkcs11js';
import { CKM_EDDSA, CKU_CONTEXT_SPECIFIC, DEFAULT_POOL_SIZE } from './constants.js';
import { optionsFromEnv } from './env.js';
import { checkTokenAndKey, type SignerHealth } from './health-check.js';
import { acquireModule, type ModuleLease } from './module-registry.js';
import type { KeySelector, PinSource, Pkcs11SignerOptions, TokenSelector } from './options.js';
import { PROVIDER, pkcs11Failure, signerError } from './pkcs11-failure.js';
import { resolvePin } from './pin.js';
import { isSessionLost } from './return-values.js';
import { SessionPool, type SessionLease, type SessionPoolStats } from './session-pool.js';
import { describeKey, findSigningKey } from './signing-key.js';
import { describeTokenSelector, findTokenSlot } from './token.js';
import { formatPkcs11Uri } from './uri.js';
import { optionsFromUri, type UriOptionsContext } from './uri-options.js';

const SIGNATURE_LENGTH = 64;

/** Everything that lives between first use and `close()`. */
interface Connection {
  lease: ModuleLease;
  slot: Buffer;
  pool: SessionPool;
  privateKey: Buffer;
  publicKey: Uint8Array;
  /** The key needs a CKU_CONTEXT_SPECIFIC login between each C_SignInit and C_Sign. */
  alwaysAuthenticate: boolean;
  loggedIn: boolean;
}

export class Pkcs11Signer implements AsyncSigner {
  readonly provider = PROVIDER;
  /** `pkcs11:` URI of the key (token, label, id; never the PIN), for provenance. */
  readonly keyId: string;
  readonly #module: string;
  readonly #token: TokenSelector;
  readonly #key: KeySelector;
  readonly #pin: PinSource;
  readonly #poolSize: number;
  #connection: Promise<Connection> | undefined;
  #recovery: { generation: number; done: Promise<void> } | undefined;
  /** A PIN failure is remembered: retrying a wrong PIN would count towards locking the token. */
  #pinFailure: unknown;
  #pool: SessionPool | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: Pkcs11SignerOptions) {
    if (!options || typeof options.module !== 'string' || options.module.length === 0) {
      throw signerError(undefined, 'Misconfigured', 'options.module (the PKCS#11 library path) is required', undefined, false);
    }
    if (options.label === undefined && options.id === undefined) {
      throw signerError(undefined, 'Misconfigured', 'name the key with options.label and/or options.id', undefined, false);
    }
    if (typeof options.pin !== 'string' && typeof options.pin !== 'function') {
      throw signerError(undefined, 'Misconfigured', 'options.pin must be a string or a function returning one', undefined, false);
    }
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    if (!Number.isInteger(poolSize) || poolSize < 1) {
      throw signerError(undefined, 'Misconfigured', 'options.poolSize must be a positive integer', undefined, false);
    }
    this.#module = options.module;
    this.#token = pickDefined({ tokenLabel: options.tokenLabel, serial: options.serial, slot: options.slot });
    this.#key = pickDefined({ label: options.label, id: options.id ? Uint8Array.from(options.id) : undefined });
    this.#pin = options.pin;
    this.#poolSize = poolSize;
    this.keyId = formatPkcs11Uri({
      token: this.#token.tokenLabel,
      serial: this.#token.serial,
      slotId: this.#token.slot,
      object: this.#key.label,
      id: this.#key.id,
      type: 'private',
    });
  }

  /** Options from `A1_PKCS11_*` variables (see README); the PIN is read at login time. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): Pkcs11Signer {
    return new Pkcs11Signer(optionsFromEnv(env));
  }

  /** Options from an RFC 7512 URI, e.g. `pkcs11:token=a1;object=root?module-path=…&pin-source=env:A1_PKCS11_PIN`. */
  static fromUri(uri: string, context?: UriOptionsContext): Pkcs11Signer {
    return new Pkcs11Signer(optionsFromUri(uri, context));
  }

  async verifyingKey(): Promise<Uint8Array> {
    const connection = await this.#connect();
    return connection.publicKey.slice();
  }

  async signMessage(message: Uint8Array, opts?: SignOptions): Promise<Uint8Array> {
    if (!(message instanceof Uint8Array)) {
      throw signerError(this.keyId, 'Misconfigured', 'message must be a Uint8Array', undefined, false);
    }
    const signal = opts?.signal;
    this.#throwIfAborted(signal);
    const connection = await this.#connect();
    this.#throwIfAborted(signal);
    const attempt = { generation: connection.pool.generation };
    try {
      return await this.#signOnce(connection, message, signal, attempt);
    } catch (first) {
      if (!isSessionLost(first)) throw this.#failure(first, 'C_Sign');
      await this.#recover(connection, attempt.generation);
      try {
        return await this.#signOnce(connection, message, signal, attempt);
      } catch (second) {
        throw this.#failure(second, 'C_Sign (after reconnecting)');
      }
    }
  }

  /**
   * A readiness probe, without signing: module loaded, token present, logged in, key found with
   * the right type (the same public key as at first use). A session or login the token dropped is
   * recovered once, as a sign would. Never throws for a fault: `ok: false` and a `detail` naming
   * what is wrong (a wrong PIN is tried once only, like a sign).
   */
  async health(): Promise<SignerHealth> {
    const started = performance.now();
    const result = (ok: boolean, detail: string): SignerHealth => ({
      ok,
      latencyMs: Math.round(performance.now() - started),
      keyId: this.keyId,
      detail,
    });
    try {
      const connection = await this.#connect();
      let generation = connection.pool.generation;
      try {
        return result(true, await this.#checkOnce(connection, (g) => (generation = g)));
      } catch (first) {
        if (!lostSession(first)) throw first;
        await this.#recover(connection, generation);
        return result(true, await this.#checkOnce(connection, () => undefined));
      }
    } catch (error) {
      const failure = this.#failure(error, 'health check') as SignerError;
      return result(false, `${failure.code}: ${failure.message}`);
    }
  }

  async #checkOnce(connection: Connection, sawGeneration: (generation: number) => void): Promise<string> {
    const lease = await connection.pool.acquire();
    sawGeneration(lease.generation);
    try {
      const detail = checkTokenAndKey({
        api: connection.lease.api,
        session: lease.session,
        slot: connection.slot,
        key: this.#key,
        keyId: this.keyId,
        tokenName: describeTokenSelector(this.#token),
        publicKey: connection.publicKey,
      });
      connection.pool.release(lease);
      return detail;
    } catch (e) {
      if (lostSession(e)) connection.pool.discard(lease);
      else connection.pool.release(lease);
      throw e;
    }
  }

  /** Session pool numbers (how many `C_OpenSession` calls, how many open now); undefined before first use. */
  sessionStats(): SessionPoolStats | undefined {
    return this.#pool?.stats();
  }

  /** Waits for in-flight signs, closes the sessions, logs out; the last signer of a module finalizes it. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    const pending = this.#connection;
    if (!pending) return;
    let connection: Connection;
    try {
      connection = await pending;
    } catch {
      return; // a failed connect already released everything
    }
    await this.#recovery?.done.catch(() => undefined);
    await connection.pool.drain();
    this.#disconnect(connection, signerError(this.keyId, 'Misconfigured', 'signer is closed', undefined, false));
  }

  #connect(): Promise<Connection> {
    if (this.#closed) {
      return Promise.reject(signerError(this.keyId, 'Misconfigured', 'signer is closed', undefined, false));
    }
    if (this.#pinFailure) return Promise.reject(this.#pinFailure);
    if (!this.#connection) {
      const attempt = this.#open();
      this.#connection = attempt;
      // A failed first use may be retried (token inserted later), except a wrong PIN.
      attempt.catch((e: unknown) => {
        if (this.#connection === attempt) this.#connection = undefined;
          this.#rememberPinFailure(e);
      });
    }
    return this.#connection;
  }

  async #open(): Promise<Connection> {
    const pin = await resolvePin(this.#pin, this.keyId);
    const lease = acquireModule(this.#module, this.keyId);
    const pool = new SessionPool(this.#poolSize, {
      // Read-only sessions: signing needs no writes. `connection.slot` is set by #bind before any open.
      open: () => lease.api.C_OpenSession(connection.slot, pkcs11js.CKF_SERIAL_SESSION),
      close: (session) => lease.api.C_CloseSession(session),
    });
    const connection: Connection = {
      lease,
      pool,
      slot: Buffer.alloc(0),
      privateKey: Buffer.alloc(0),
      publicKey: new Uint8Array(0),
      alwaysAuthenticate: false,
      loggedIn: false,
    };
    this.#pool = pool;
    try {
      await this.#bind(connection, pin, true);
    } catch (e) {
      this.#disconnect(connection, e);
      throw e;
    }
    return connection;
  }

  /** Finds the token, logs in, finds the key. Used at first use and after the token lost us. */
  async #bind(connection: Connection, pin: string, firstTime: boolean): Promise<void> {
    const { lease } = connection;
    connection.slot = findTokenSlot(lease.api, this.#token, this.keyId);
    let session: SessionLease;
    try {
      session = await connection.pool.acquire();
    } catch (e) {
      throw pkcs11Failure(e, this.keyId, 'C_OpenSession');
    }
    try {
      lease.login(connection.slot, session.session, pin, this.keyId, firstTime);
      connection.loggedIn = true;
      const key = findSigningKey(lease.api, session.session, this.#key, this.keyId, describeTokenSelector(this.#token));
      if (!firstTime && !sameBytes(key.publicKey, connection.publicKey)) {
        throw signerError(this.keyId, 'KeyNotFound', `${describeKey(this.#key)} now holds a different key than at first use`, undefined, false);
      }
      connection.privateKey = key.privateKey;
      connection.publicKey = key.publicKey;
      connection.alwaysAuthenticate = key.alwaysAuthenticate;
      connection.pool.release(session);
    } catch (e) {
      // The session is fine after a lookup failure (needed for the logout); not after a lost one.
      if (isSessionLost(e) || (e instanceof SignerError && /CKR_SESSION|CKR_DEVICE/.test(e.message))) {
        connection.pool.discard(session);
      } else connection.pool.release(session);
      throw e;
    }
  }

  /** `attempt.generation` records which login the session belonged to, for `#recover`. */
  async #signOnce(
    connection: Connection,
    message: Uint8Array,
    signal: AbortSignal | undefined,
    attempt: { generation: number },
  ): Promise<Uint8Array> {
    // Resolved before taking a session, so a slow PIN callback does not hold one.
    const contextPin = connection.alwaysAuthenticate ? await resolvePin(this.#pin, this.keyId) : undefined;
    this.#throwIfAborted(signal);
    let session: SessionLease;
    try {
      session = await connection.pool.acquire(signal);
    } catch (e) {
      if (signal?.aborted) throw this.#aborted(signal);
      throw e;
    }
    attempt.generation = session.generation;
    const signing = (async () => {
      const { api } = connection.lease;
      try {
        api.C_SignInit(session.session, { mechanism: CKM_EDDSA }, connection.privateKey);
        if (contextPin !== undefined) this.#contextLogin(api, session.session, contextPin);
        const signature = await api.C_SignAsync(session.session, inputBuffer(message), Buffer.alloc(SIGNATURE_LENGTH));
        connection.pool.release(session);
        return signature;
      } catch (e) {
        // A failed session may hold a half-done operation: never hand it to the next sign.
        connection.pool.discard(session);
        throw e;
      }
    })();
    const signature = await this.#unlessAborted(signing, signal);
    if (signature.length !== SIGNATURE_LENGTH) {
      throw signerError(this.keyId, 'InvalidResponse', `C_Sign returned ${signature.length} bytes, expected ${SIGNATURE_LENGTH}`);
    }
    return Uint8Array.from(signature);
  }

  /**
   * The per-operation login a CKA_ALWAYS_AUTHENTICATE key demands. A refused PIN is final (a
   * retry would count towards locking the card), so it is remembered like a failed C_Login.
   */
  #contextLogin(api: pkcs11js.PKCS11, session: Buffer, pin: string): void {
    try {
      api.C_Login(session, CKU_CONTEXT_SPECIFIC, pin);
    } catch (e) {
      const failure = pkcs11Failure(e, this.keyId, 'C_Login (CKU_CONTEXT_SPECIFIC: the key has CKA_ALWAYS_AUTHENTICATE)');
      this.#rememberPinFailure(failure);
      throw failure;
    }
  }

  /** One reconnect shared by every sign that saw the same generation fail. */
  #recover(connection: Connection, failedGeneration: number): Promise<void> {
    if (this.#recovery && this.#recovery.generation === failedGeneration) return this.#recovery.done;
    if (connection.pool.generation !== failedGeneration) return Promise.resolve(); // already reconnected
    connection.pool.reset();
    const done = (async () => {
      const pin = await resolvePin(this.#pin, this.keyId);
      await this.#bind(connection, pin, false);
    })();
    this.#recovery = { generation: failedGeneration, done };
    // A PIN changed underneath must not be retried by every later sign.
    done.catch((e: unknown) => this.#rememberPinFailure(e));
    return done;
  }

  #rememberPinFailure(e: unknown): void {
    if (e instanceof SignerError && e.code === 'AccessDenied' && /CKR_PIN_/.test(e.message)) this.#pinFailure = e;
  }

  #disconnect(connection: Connection, reason: unknown): void {
    const { lease, pool } = connection;
    if (connection.loggedIn) {
      // Logout needs a session; an idle one of ours will do (closing it right after anyway).
      lease.logout(connection.slot, pool.idleSession());
      connection.loggedIn = false;
    }
    pool.close(reason);
    lease.release();
  }

  async #unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    // The token cannot cancel a C_Sign; the caller stops waiting, the session comes back when it ends.
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.#aborted(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  #throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw this.#aborted(signal);
  }

  #aborted(signal: AbortSignal): Error {
    return signerError(this.keyId, 'Aborted', 'the sign was aborted', signal.reason, false);
  }

  #failure(e: unknown, operation: string): Error {
    return pkcs11Failure(e, this.keyId, operation);
  }

  /** Logs and JSON show which key, never the PIN. */
  toJSON(): { provider: string; keyId: string } {
    return { provider: this.provider, keyId: this.keyId };
  }
}

/**
 * The message as a Buffer the library can read. An empty Buffer may reach C_Sign as a NULL
 * pointer (SoftHSM2 answers CKR_ARGUMENTS_BAD), so an empty message is a zero-length view into
 * real memory instead.
 */
function inputBuffer(message: Uint8Array): Buffer {
  return message.length > 0 ? Buffer.from(message) : Buffer.alloc(1).subarray(0, 0);
}

/** A lost session, raw or already named by `pkcs11Failure` (which keeps the Cryptoki error as cause). */
function lostSession(e: unknown): boolean {
  return isSessionLost(e) || (e instanceof SignerError && isSessionLost(e.cause));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function pickDefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
