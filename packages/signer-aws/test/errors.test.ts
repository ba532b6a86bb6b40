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
    // A resource quota, not a rate: the SDK's standard retry calls it throttling, we do not.
    ['LimitExceededException', 'BackendError', false],
  ] as const)('%s -> %s (retryable %s), a cleaned cause kept', (name, code, retryable) => {
    const raw = sdkError(name, 'service text', { $metadata: { httpStatusCode: 400, requestId: 'req-123' }, $response: { body: 'raw' } });
    const err = awsKmsErrorToSignerError(raw, context);
    expect(err).toBeInstanceOf(SignerError);
    expect(err).toMatchObject({ code, retryable, provider: 'aws-kms', keyId: 'alias/root' });
    expect(err.cause).not.toBe(raw);
    expect(err.cause).toMatchObject({ name, httpStatusCode: 400, requestId: 'req-123' });
    expect(Object.keys(err.cause as object)).not.toContain('$response');
    expect(err.message).toContain(name);
  });

  it('treats a key still being created or updated as transient, other invalid states not', () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    for (const state of ['creating', 'updating']) {
      const err = awsKmsErrorToSignerError(sdkError('KMSInvalidStateException', `${arn} is ${state}.`), context);
      expect(err).toMatchObject({ code: 'Unavailable', retryable: true });
      expect(err.message).toContain(`is ${state}`);
    }
    for (const state of ['pending deletion', 'pending import', 'unavailable']) {
      const err = awsKmsErrorToSignerError(sdkError('KMSInvalidStateException', `${arn} is ${state}.`), context);
      expect(err).toMatchObject({ code: 'BackendError', retryable: false });
      expect(err.message).toContain(`is ${state}`);
    }
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
