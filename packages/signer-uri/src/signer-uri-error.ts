/**
 * What `signerFromUri` throws before any provider is asked: the URI is not one, its scheme is
 * unknown, its provider package is not installed, or a `file:` seed cannot be read. Problems a
 * provider finds in its own URI are that provider's `SignerError` (`Misconfigured`).
 */
export type SignerUriErrorCode =
  /** The text is not a URI (or is a raw key pasted where a URI belongs). */
  | 'NotAUri'
  /** A scheme no provider implements. */
  | 'UnknownScheme'
  /** The provider package the scheme names is not installed. */
  | 'ProviderMissing'
  /** A `file:` seed file could not be read (missing, unreadable, too large). */
  | 'SeedFileUnreadable'
  /** A `file:` seed file was read but does not hold a seed. */
  | 'NotASeedFile';

export class SignerUriError extends Error {
  override readonly name = 'SignerUriError';
  readonly code: SignerUriErrorCode;
  /** What to do about it, e.g. the install command. */
  readonly hint: string | undefined;

  constructor(code: SignerUriErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

export function isSignerUriError(error: unknown): error is SignerUriError {
  return error instanceof SignerUriError;
}
