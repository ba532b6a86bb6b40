/** The SignerErrors this package raises itself, named after the signer they wrap. */
import { SignerError, type SignerErrorCode } from '@a1/core';

export function opsError(
  who: { provider: string; keyId?: string | undefined },
  code: SignerErrorCode,
  message: string,
  extra: { retryable?: boolean; cause?: unknown } = {},
): SignerError {
  return new SignerError({ provider: who.provider, keyId: who.keyId, code, message, ...extra });
}

export function isThrottle(error: unknown): boolean {
  return error instanceof SignerError && error.code === 'Throttled';
}
