/**
 * What a signer author hands to `describeSignerConformance`. Only `create` is required;
 * every other option switches on a check that needs something only the author can provide
 * (a backend call counter, a non-Ed25519 key, a way to inject faults, the secrets in play).
 */
import type { AsyncSigner, Signer, SignerErrorCode } from '@a1/core';

/** Any signer the suite can drive: a sync `Signer` is adapted to `AsyncSigner` by the suite. */
export type AnySigner = AsyncSigner | Signer;

/** A factory for a fresh signer. It should not do I/O: the key is fetched and checked on first use. */
export type SignerFactory = () => AnySigner | Promise<AnySigner>;

export interface SignerConformanceOptions {
  /**
   * A fresh signer on a working Ed25519 key. Called once per check (sometimes more); every
   * signer the suite creates is closed with `close?.()` when its check ends.
   */
  create: SignerFactory;

  /**
   * The backend's running count of public-key reads (e.g. the emulator's `GetPublicKey`
   * counter) for the key `create` uses. With it, the suite asserts that exactly one read
   * happens per signer across many signs and across `concurrency` simultaneous first uses.
   * Without it, the suite only asserts that the key is stable (same bytes every call) and
   * says so in the test name.
   */
  publicKeyFetches?: () => number | Promise<number>;

  /**
   * A signer pointed at a key that exists but is not Ed25519 (e.g. P-256, RSA). Its first use,
   * whether `verifyingKey()` or `signMessage()`, must reject with a `SignerError` of code
   * `WrongKeyType`, `retryable: false`, whose message contains `keyName`.
   */
  wrongKeyType?: {
    create: SignerFactory;
    /** The name the error message must contain (key id, alias, label, resource name). */
    keyName: string;
  };

  /**
   * Named backend faults. For each, the suite creates a signer, arranges the fault, builds one
   * cert with `CertBuilder.buildAsync` and asserts that it rejects with a `SignerError` carrying
   * the signer's `provider` and `keyId`, the expected `code` and `retryable`, its `cause` when
   * the fault came from the backend, no secret, and that no cert was returned.
   */
  faults?: Record<string, SignerFault>;

  /**
   * Strings (tokens, PINs, secret keys, passwords) or bytes (key material; checked as hex,
   * base64 and base64url) that must never appear in any error the suite sees (message,
   * `String(error)`, stack, JSON, `util.inspect` including the cause chain), in anything logged
   * through `console` while the suite runs, or in the signer itself when logged or serialized.
   * Each must be at least 6 characters: shorter ones match by accident (line numbers, ports),
   * so use distinctive values in tests, e.g. PIN `pin-7f3a9c`.
   */
  secrets?: ReadonlyArray<string | Uint8Array>;

  /** How many signs run at once in the concurrency check. Default 100. */
  concurrency?: number;

  /** How many sequential signs the stability check makes on one signer. Default 20. */
  signCount?: number;

  /** Per-test timeout for the suite's own checks, in ms (faults have their own). Default 60 000. */
  timeoutMs?: number;
}

/** What the fault's `arrange` and `cleanup` are given. */
export interface FaultContext {
  /** The signer the cert will be built with (already warmed up unless `phase` is `first-use`). */
  signer: AnySigner;
}

export interface SignerFault {
  /**
   * Make the backend misbehave: queue a throttle, an outage, a hang, a garbage or wrong-key
   * signature, a truncated body… Runs after the signer is created (and, by default, after its
   * public key has been fetched, so the fault hits the sign call).
   */
  arrange(context: FaultContext): void | Promise<void>;

  /** Undo `arrange` (e.g. `faults.clear()`); runs whatever the outcome. */
  cleanup?(context: FaultContext): void | Promise<void>;

  /**
   * A signer for this fault only, e.g. one with a short client timeout, bad credentials or a
   * missing key. Defaults to the suite's `create`.
   */
  create?: SignerFactory;

  /**
   * When the fault is arranged:
   * - `sign` (default): the suite fetches the public key first, then arranges, so the fault
   *   hits `signMessage`;
   * - `first-use`: arranged right after creation, so the fault hits the first backend call
   *   (the public-key fetch), e.g. bad credentials or a missing key.
   */
  phase?: 'sign' | 'first-use';

  /** Signal passed to `buildAsync`, e.g. `() => AbortSignal.timeout(50)` to test aborts. */
  signal?: () => AbortSignal;

  expect: FaultExpectation;

  /**
   * How long the build may take to settle, in ms, before the suite calls it a hang
   * (a hang must end in a `Timeout` SignerError, not wait forever). Default 15 000.
   */
  timeoutMs?: number;
}

export interface FaultExpectation {
  /** The accepted code(s). Omit to accept any code. */
  code?: SignerErrorCode | readonly SignerErrorCode[];
  /** Whether a retry may help. Always checked. */
  retryable: boolean;
  /**
   * Whether `error.cause` must be set. Default: required for codes that can only come from a
   * backend answer (`Throttled`, `Unavailable`, `AccessDenied`, `KeyNotFound`, `BackendError`);
   * not checked otherwise (a signature mismatch found by `CertBuilder` has no backend cause).
   */
  cause?: boolean;
}

/** What `expectSignerError` checks; every field is optional. */
export interface SignerErrorExpectation {
  code?: SignerErrorCode | readonly SignerErrorCode[];
  retryable?: boolean;
  provider?: string;
  /** `undefined` is not checked; pass the signer's `keyId` to require it. */
  keyId?: string;
  /** Text the message must contain (e.g. the key name). */
  messageIncludes?: string;
  /** Require (`true`) or forbid (`false`) a `cause`. */
  cause?: boolean;
  /** Secrets that must not appear anywhere in the error (see `SignerConformanceOptions.secrets`). */
  secrets?: ReadonlyArray<string | Uint8Array>;
}
