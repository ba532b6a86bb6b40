/**
 * Turns anything a PKCS#11 call threw into a `SignerError` that names the call and the CKR value.
 * Messages are built from non-secret facts only: the PIN never reaches one.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';
import { isCryptokiFailure, signerCodeOf } from './return-values.js';

export const PROVIDER = 'pkcs11';

export function signerError(
  keyId: string | undefined,
  code: SignerErrorCode,
  message: string,
  cause?: unknown,
  retryable?: boolean,
): SignerError {
  return new SignerError({
    provider: PROVIDER,
    keyId,
    code,
    message,
    cause,
    ...(retryable === undefined ? {} : { retryable }),
  });
}

/** `operation` says what we were doing, e.g. `C_Login` or `C_Sign`. */
export function pkcs11Failure(e: unknown, keyId: string | undefined, operation: string): SignerError {
  if (e instanceof SignerError) return e;
  if (isCryptokiFailure(e)) {
    const code = signerCodeOf(e.message);
    return signerError(keyId, code, `${operation} failed: ${e.message} (0x${e.code.toString(16)})`, e);
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return signerError(keyId, 'BackendError', `${operation} failed: ${what}`, e);
}
