import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { captureOutput, checkFault, checkSecretsStayHidden, ConformanceError, describeSignerConformance, findSecretLeaks } from '../src/index.js';
import { expectCaught } from './support/expect-caught.js';
import { findSecretsInTexts, secretForms, validateSecrets } from '../src/secret-leaks.js';
import { fixture, TOKEN } from './support/fixture.js';

const wheres = (leaks: { where: string }[]) => leaks.map((l) => l.where);

describe('findSecretLeaks', () => {
  it('finds nothing in a clean error', () => {
    const error = new SignerError({ provider: 'p', keyId: 'k', code: 'Throttled', message: 'rate exceeded', cause: new Error('429') });
    expect(findSecretLeaks(error, [TOKEN])).toEqual([]);
  });

  it('finds a secret hidden in the cause chain, where loggers print it', () => {
    const sdkError = Object.assign(new Error('request failed'), { request: { headers: { 'x-vault-token': TOKEN } } });
    const error = new SignerError({ provider: 'p', code: 'BackendError', message: 'failed', cause: sdkError });
    const leaks = findSecretLeaks(error, ['unrelated-secret', TOKEN]);
    expect(leaks.every((l) => l.secretIndex === 1)).toBe(true);
    expect(wheres(leaks)).toContain('util.inspect');
    expect(wheres(leaks)).not.toContain('message');
  });

  it('finds a secret that only a property walk reaches (a private headers Map, as the Azure SDK keeps)', () => {
    class Headers {
      #shown = 'nothing to see';
      private readonly map = new Map([['authorization', `Bearer ${TOKEN}`]]);
      [Symbol.for('nodejs.util.inspect.custom')]() {
        return this.#shown;
      }
    }
    const sdkError = Object.assign(new Error('403'), { request: { headers: new Headers() } });
    Object.defineProperty(sdkError, 'request', { enumerable: false });
    const error = new SignerError({ provider: 'p', code: 'AccessDenied', message: 'denied', cause: sdkError });
    expect(wheres(findSecretLeaks(error, [TOKEN]))).toEqual(['deep walk']);
  });

  it('finds a secret in the message, the string form, the stack and the JSON', () => {
    const error = Object.assign(new Error(`bad pin ${TOKEN}`), { detail: TOKEN });
    expect(wheres(findSecretLeaks(error, [TOKEN]))).toEqual(expect.arrayContaining(['message', 'String(error)', 'stack', 'JSON', 'util.inspect']));
  });

  it('finds key material as hex, base64 and base64url', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 250);
    const [hex, upper, b64, b64url] = secretForms(key);
    for (const form of [hex, upper, b64, b64url]) expect(findSecretLeaks(new Error(`key=${form}`), [key]).length).toBeGreaterThan(0);
    expect(b64).not.toEqual(b64url); // the bytes chosen include '+' or '/' in base64
  });

  it('survives values that cannot be serialized', () => {
    const cyclic: Record<string, unknown> = { token: TOKEN };
    cyclic.self = cyclic;
    Object.defineProperty(cyclic, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
    expect(wheres(findSecretLeaks(cyclic, [TOKEN]))).toContain('util.inspect');
  });
});

describe('secrets option', () => {
  it('refuses secrets too short to search for without false matches', () => {
    expect(() => validateSecrets(['1234'])).toThrow(/secret #0 is 4 characters\/bytes; use at least 6/);
    expect(() => describeSignerConformance('x', { create: () => fixture().signer(), secrets: [TOKEN, '1234'] })).toThrow(ConformanceError);
  });

  it('refuses options without create and nonsense counts', () => {
    expect(() => describeSignerConformance('x', {} as never)).toThrow(/create\(\) is required/);
    expect(() => describeSignerConformance('x', { create: () => fixture().signer(), concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
  });
});

describe('captureOutput', () => {
  it('records what a leaky signer logs, and restores console afterwards', async () => {
    const { backend, signer } = fixture();
    const original = console.warn;
    const capture = captureOutput();
    try {
      backend.inject('throttle', { times: 1 });
      await signer(['logs-token']).verifyingKey().catch(() => undefined);
    } finally {
      capture.restore();
    }
    expect(console.warn).toBe(original);
    const leaks = findSecretsInTexts(capture.lines, [TOKEN]);
    expect(wheres(leaks)).toContain('console.warn');
  });
});

describe('checkSecretsStayHidden', () => {
  const { backend, signer } = fixture();
  const secrets = [TOKEN];
  const throttledOnce = {
    arrange: () => backend.inject('throttle', { operation: 'Sign' as const, times: 1 }),
    expect: { code: 'Throttled' as const, retryable: true },
  };

  it('passes when errors, output and the signer are clean', async () => {
    const capture = captureOutput();
    let error: unknown;
    try {
      error = await checkFault('throttled', throttledOnce, { create: () => signer(), secrets });
    } finally {
      capture.restore();
    }
    await checkSecretsStayHidden({ create: () => signer(), secrets, errors: [error], output: capture.lines });
  });

  it('catches a signer that logs its token while failing', async () => {
    const capture = captureOutput();
    try {
      await checkFault('throttled', throttledOnce, { create: () => signer(['logs-token']), secrets });
    } finally {
      capture.restore();
    }
    await expectCaught(
      checkSecretsStayHidden({ create: () => signer(), secrets, output: capture.lines }),
      /output during the suite reveals secret #0 in console\.warn/,
    );
  });

  it('catches a provoked error that carries a secret in its cause', async () => {
    const cause = Object.assign(new Error('denied'), { config: { headers: { authorization: `Bearer ${TOKEN}` } } });
    const error = new SignerError({ provider: 'fake-kms', code: 'AccessDenied', message: 'denied', cause });
    await expectCaught(checkSecretsStayHidden({ create: () => signer(), secrets, errors: [error] }), /provoked error #0 reveals secret #0 in util\.inspect/);
  });

  it('catches a signer that shows its token when logged', async () => {
    await expectCaught(checkSecretsStayHidden({ create: () => signer(['token-in-field']), secrets }), /signer object reveals a secret/);
  });
});

describe('secret shapes found without being configured', () => {
  // A made-up STS-style token: the shape of one, not a real credential.
  const sessionToken = `IQoJb3JpZ2luX2VjEXAMPLE${'A'.repeat(40)}`;
  const canonical =
    'The request signature we calculated does not match the signature you provided.\n\n' +
    "The Canonical String for this request should have been\n'POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:kms.us-east-1.amazonaws.com\n" +
    `x-amz-date:20261201T120000Z\nx-amz-security-token:${sessionToken}\n\ncontent-type;host;x-amz-date;x-amz-security-token\nabc'`;

  it('finds an AWS session token and a canonical request in an error cause, with no secret configured', () => {
    const cause = Object.assign(new Error('InvalidSignatureException'), { name: 'InvalidSignatureException', message: canonical });
    const error = new SignerError({ provider: 'aws-kms', code: 'AccessDenied', message: 'signature rejected', cause });
    const shapes = new Set(findSecretLeaks(error, []).map((l) => l.shape));
    expect(shapes).toEqual(new Set(['AWS session token header', 'AWS session token', 'AWS canonical request']));
  });

  it('finds a session token passed as a query parameter, and a string to sign', () => {
    const texts: [string, string][] = [
      ['url', `https://kms.us-east-1.amazonaws.com/?X-Amz-Security-Token=${'b'.repeat(30)}`],
      ['sts', 'AWS4-HMAC-SHA256\n20261201T120000Z\n20261201/us-east-1/kms/aws4_request\nabcdef'],
    ];
    expect(findSecretsInTexts(texts, []).map((l) => l.shape)).toEqual(['AWS session token header', 'AWS string to sign']);
  });

  it('leaves ordinary error text alone', () => {
    const error = new SignerError({ provider: 'aws-kms', code: 'AccessDenied', message: 'Sign failed: the request signature was rejected (InvalidSignatureException)' });
    expect(findSecretLeaks(error, [])).toEqual([]);
  });
});
