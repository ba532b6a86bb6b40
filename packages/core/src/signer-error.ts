/**
 * `SignerError` is what every signer — ours or a third party's — throws when a key backend
 * fails. It names the backend and key, says whether a retry may help, and keeps the cause.
 * Messages must never contain tokens, PINs or key material; signers build them from
 * non-secret facts only.
 */

export type SignerErrorCode =
  /** The key does not exist or is not visible to these credentials. */
  | 'KeyNotFound'
  /** The key exists but is not an Ed25519 signing key (or cannot sign). */
  | 'WrongKeyType'
  /** Credentials rejected or permission missing. */
  | 'AccessDenied'
  /** The backend asked us to slow down. */
  | 'Throttled'
  /** The backend is down or answered 5xx / UNAVAILABLE. */
  | 'Unavailable'
  /** No answer within the configured time. */
  | 'Timeout'
  /** The caller aborted through its AbortSignal. */
  | 'Aborted'
  /** The backend answered something that is not a valid answer (garbage, bad checksum, wrong length). */
  | 'InvalidResponse'
  /** The signature does not verify against the signer's verifying key. */
  | 'SignatureMismatch'
  /** The signer's options are wrong or incomplete. */
  | 'Misconfigured'
  /** Anything else the backend reported. */
  | 'BackendError';

export interface SignerErrorOptions {
  provider: string;
  keyId?: string | undefined;
  code: SignerErrorCode;
  retryable?: boolean;
  message: string;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<SignerErrorCode> = new Set([
  'Throttled',
  'Unavailable',
  'Timeout',
  'InvalidResponse',
]);

export class SignerError extends Error {
  override readonly name = 'SignerError';
  /** Backend name, e.g. `aws-kms`, `gcp-kms`, `vault-transit`, `azure-keyvault`, `pkcs11`, `local`. */
  readonly provider: string;
  /** ARN, resource name, vault path or PKCS#11 URI of the key, when known. */
  readonly keyId: string | undefined;
  readonly code: SignerErrorCode;
  /** True when the same call may succeed if tried again later. */
  readonly retryable: boolean;

  constructor(options: SignerErrorOptions) {
    const where = options.keyId ? `${options.provider} key ${options.keyId}` : options.provider;
    // A wrapper that reuses an inner SignerError's message (a retry giving up, say) must not
    // name the provider and key twice.
    const message = options.message.startsWith(`${where}: `) ? options.message.slice(where.length + 2) : options.message;
    super(`${where}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.keyId = options.keyId;
    this.code = options.code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(options.code);
  }
}

export function isSignerError(e: unknown): e is SignerError {
  return e instanceof SignerError;
}
