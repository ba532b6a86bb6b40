/**
 * PKCS#11 return values (`CKR_*`): how pkcs11js reports them and what each means for a signer.
 */
import pkcs11js from 'pkcs11js';
import type { SignerErrorCode } from '@a1/core';

/** A Cryptoki failure as pkcs11js throws it: `message` is the CKR name, `code` its number. */
export interface CryptokiFailure extends Error {
  message: `CKR_${string}`;
  code: number;
}

export function isCryptokiFailure(e: unknown): e is CryptokiFailure {
  return (
    e instanceof Error &&
    /^CKR_[A-Z0-9_]+$/.test(e.message) &&
    typeof (e as { code?: unknown }).code === 'number'
  );
}

/** The CKR name of a failure, or undefined when it is not a Cryptoki failure. */
export function returnValueOf(e: unknown): string | undefined {
  return isCryptokiFailure(e) ? e.message : undefined;
}

/** A CKR name for a numeric value, from the constants pkcs11js exports. */
export function returnValueName(rv: number): string {
  for (const [name, value] of Object.entries(pkcs11js)) {
    if (name.startsWith('CKR_') && value === rv) return name;
  }
  return `CKR_0x${rv.toString(16)}`;
}

/** The session, its login or the key handle is gone: re-open, log in, find the key, retry once. */
const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_OBJECT_HANDLE_INVALID',
]);

export function isSessionLost(e: unknown): boolean {
  const rv = returnValueOf(e);
  return rv !== undefined && SESSION_LOST.has(rv);
}

const CODE_OF: Record<string, SignerErrorCode> = {
  CKR_PIN_INCORRECT: 'AccessDenied',
  CKR_PIN_INVALID: 'AccessDenied',
  CKR_PIN_LEN_RANGE: 'AccessDenied',
  CKR_PIN_EXPIRED: 'AccessDenied',
  CKR_PIN_LOCKED: 'AccessDenied',
  CKR_USER_PIN_NOT_INITIALIZED: 'AccessDenied',
  CKR_USER_NOT_LOGGED_IN: 'AccessDenied',
  CKR_USER_TYPE_INVALID: 'AccessDenied',
  CKR_USER_ANOTHER_ALREADY_LOGGED_IN: 'AccessDenied',
  CKR_USER_TOO_MANY_TYPES: 'AccessDenied',
  CKR_KEY_HANDLE_INVALID: 'KeyNotFound',
  CKR_OBJECT_HANDLE_INVALID: 'KeyNotFound',
  CKR_KEY_TYPE_INCONSISTENT: 'WrongKeyType',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'WrongKeyType',
  CKR_MECHANISM_INVALID: 'WrongKeyType',
  CKR_MECHANISM_PARAM_INVALID: 'WrongKeyType',
  CKR_SESSION_HANDLE_INVALID: 'Unavailable',
  CKR_SESSION_CLOSED: 'Unavailable',
  CKR_SESSION_COUNT: 'Unavailable',
  CKR_DEVICE_REMOVED: 'Unavailable',
  CKR_DEVICE_ERROR: 'Unavailable',
  CKR_DEVICE_MEMORY: 'Unavailable',
  CKR_TOKEN_NOT_PRESENT: 'Unavailable',
  CKR_TOKEN_NOT_RECOGNIZED: 'Unavailable',
  CKR_CRYPTOKI_NOT_INITIALIZED: 'Unavailable',
  CKR_HOST_MEMORY: 'Unavailable',
  CKR_FUNCTION_CANCELED: 'Aborted',
};

/** What kind of `SignerError` a CKR value becomes. */
export function signerCodeOf(returnValue: string): SignerErrorCode {
  return CODE_OF[returnValue] ?? 'BackendError';
}
