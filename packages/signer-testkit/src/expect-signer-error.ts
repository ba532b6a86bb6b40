import { SignerError, type SignerErrorCode } from '@a1/core';
import { describeShape } from './bytes.js';
import { ConformanceError } from './conformance-error.js';
import type { SignerErrorExpectation } from './options.js';
import { assertNoSecrets } from './secret-leaks.js';

function codeList(code: SignerErrorCode | readonly SignerErrorCode[]): readonly SignerErrorCode[] {
  return typeof code === 'string' ? [code] : code;
}

/** Checks an already-caught error against the expectation; returns it typed. */
export function assertSignerError(error: unknown, expected: SignerErrorExpectation = {}, check = 'expectSignerError'): SignerError {
  if (!(error instanceof SignerError)) {
    // Not the error's message: it may be exactly the untyped text that leaks a secret.
    throw new ConformanceError(check, `expected a SignerError (instanceof), got ${describeShape(error)}`);
  }
  if (expected.code !== undefined) {
    const codes = codeList(expected.code);
    if (!codes.includes(error.code)) {
      throw new ConformanceError(check, `expected code ${codes.join(' or ')}, got ${error.code}`);
    }
  }
  if (expected.retryable !== undefined && error.retryable !== expected.retryable) {
    throw new ConformanceError(check, `expected retryable ${expected.retryable}, got ${error.retryable} (code ${error.code})`);
  }
  if (expected.provider !== undefined && error.provider !== expected.provider) {
    throw new ConformanceError(check, `expected provider "${expected.provider}", got "${error.provider}"`);
  }
  if (expected.keyId !== undefined && error.keyId !== expected.keyId) {
    throw new ConformanceError(check, `expected keyId "${expected.keyId}", got ${error.keyId === undefined ? 'none' : `"${error.keyId}"`}`);
  }
  if (expected.cause === true && (error.cause === undefined || error.cause === error)) {
    throw new ConformanceError(check, `expected the backend's error as cause, got none (code ${error.code})`);
  }
  if (expected.cause === false && error.cause !== undefined) {
    throw new ConformanceError(check, `expected no cause, got ${describeShape(error.cause)}`);
  }
  assertNoSecrets(check, error, expected.secrets ?? []);
  if (expected.messageIncludes !== undefined && !error.message.includes(expected.messageIncludes)) {
    throw new ConformanceError(check, `expected the message to name "${expected.messageIncludes}" (code ${error.code})`);
  }
  return error;
}

/**
 * Awaits `promise`, which must reject with a `SignerError` matching `expected`; returns the
 * error. A fulfilled promise fails the check: whatever it produced must not exist.
 */
export async function expectSignerError(
  promise: PromiseLike<unknown>,
  expected: SignerErrorExpectation = {},
  check = 'expectSignerError',
): Promise<SignerError> {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await promise };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (outcome.ok) {
    throw new ConformanceError(check, `expected a SignerError, but the call resolved with ${describeShape(outcome.value)}`);
  }
  return assertSignerError(outcome.error, expected, check);
}
