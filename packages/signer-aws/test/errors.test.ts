/**
 * The pure exception -> SignerError table, for the answers a loopback emulator cannot easily
 * produce (DNS failures, missing region). Everything the emulator can produce is covered by
 * aws-kms-signer.test.ts through the real SDK.
 */
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { awsKmsErrorToSignerError } from '../src/index.js';

const context = { keyId: 'alias/root', call: 'Sign' as const, timeoutMs: 1000 };

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('awsKmsErrorToSignerError', () => {
  it.each([
    ['NotFoundException', 'KeyNotFound', false],
    ['DisabledException', 'BackendError', false],
    ['KMSInvalidStateException', 'BackendError', false],
    ['InvalidKeyUsageException', 'WrongKeyType', false],
    ['AccessDeniedException', 'AccessDenied', false],
    ['UnrecognizedClientException', 'AccessDenied', false],
    ['InvalidSignatureException', 'AccessDenied', false],
    ['ExpiredTokenException', 'AccessDenied', false],
    ['CredentialsProviderError', 'AccessDenied', false],
    ['ThrottlingException', 'Throttled', true],
    ['KMSInternalException', 'Unavailable', true],
    ['KeyUnavailableException', 'Unavailable', true],
    ['DependencyTimeoutException', 'Unavailable', true],
    ['TimeoutError', 'Timeout', true],
    ['ValidationException', 'BackendError', false],
  ] as const)('%s -> %s (retryable %s), cause kept', (name, code, retryable) => {
    const cause = sdkError(name, 'service text');
    const err = awsKmsErrorToSignerError(cause, context);
    expect(err).toBeInstanceOf(SignerError);
    expect(err).toMatchObject({ code, retryable, provider: 'aws-kms', keyId: 'alias/root' });
    expect(err.cause).toBe(cause);
    expect(err.message).toContain(name);
  });

  it('maps network failures to Unavailable and unreadable answers to InvalidResponse', () => {
    expect(awsKmsErrorToSignerError(sdkError('Error', 'getaddrinfo ENOTFOUND kms.invalid', { code: 'ENOTFOUND' }), context).code).toBe(
      'Unavailable',
    );
    expect(
      awsKmsErrorToSignerError(sdkError('SyntaxError', 'Unexpected token\n  Deserialization error: ...', { $metadata: { httpStatusCode: 200 } }), context)
        .code,
    ).toBe('InvalidResponse');
    expect(awsKmsErrorToSignerError(sdkError('KMSServiceException', 'x', { $fault: 'server', $metadata: { httpStatusCode: 503 } }), context)).toMatchObject({
      code: 'Unavailable',
      retryable: true,
    });
  });

  it('maps a missing region to Misconfigured', () => {
    expect(awsKmsErrorToSignerError(new Error('Region is missing'), context).code).toBe('Misconfigured');
  });

  it('maps anything else to BackendError, not retryable, without echoing its text', () => {
    const err = awsKmsErrorToSignerError(sdkError('SomethingNew', 'token=abc123secret'), context);
    expect(err).toMatchObject({ code: 'BackendError', retryable: false });
    expect(err.message).not.toContain('abc123secret');
    expect(awsKmsErrorToSignerError('a string', context).code).toBe('BackendError');
    expect(awsKmsErrorToSignerError(undefined, context).code).toBe('BackendError');
  });

  it('never echoes the text of signature answers, which AWS fills with the canonical request', () => {
    const err = awsKmsErrorToSignerError(
      sdkError('InvalidSignatureException', "The Canonical String for this request should have been 'x-amz-security-token:SESSIONTOKEN123'"),
      context,
    );
    expect(err.message).not.toContain('SESSIONTOKEN123');
  });

  it('names a timeout and a caller abort by what stopped the call', () => {
    expect(awsKmsErrorToSignerError(new Error('x'), { ...context, stopped: 'timeout' })).toMatchObject({ code: 'Timeout', retryable: true });
    expect(awsKmsErrorToSignerError(new Error('x'), { ...context, stopped: 'aborted' })).toMatchObject({ code: 'Aborted', retryable: false });
  });

  it('passes a SignerError through unchanged', () => {
    const original = new SignerError({ provider: 'aws-kms', code: 'WrongKeyType', message: 'x' });
    expect(awsKmsErrorToSignerError(original, context)).toBe(original);
  });
});
