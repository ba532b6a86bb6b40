/**
 * Red-team M3: a secret pasted into an awskms:// URI or a keyId (as a parameter, after the key,
 * as the region or the endpoint) must never come back in the error's message, inspect or JSON.
 */
import { inspect } from 'node:util';
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { AwsKmsSigner, awsKmsOptionsFromEnv, parseAwsKmsUri } from '../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const SECRET_WORD = 'SECRETKEY';

function refusal(run: () => unknown): SignerError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    expect(err).toMatchObject({ code: 'Misconfigured', retryable: false });
    return err as SignerError;
  }
  throw new Error('expected a refusal');
}

function expectNoSecret(err: SignerError): void {
  const texts = [err.message, String(err), err.stack ?? '', inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)];
  for (const text of texts) {
    expect(text).not.toContain(SECRET_WORD);
    expect(text).not.toContain('wJalr');
  }
}

describe('parseAwsKmsUri names the wrong part, never its text', () => {
  it.each([
    ['a bare secret as a parameter', `awskms:///alias/a1?${SECRET}`, /unknown parameter \(not shown: it may hold a secret; allowed: region, scheme\)/],
    ['a secret as an unknown parameter value', `awskms:///alias/a1?x${SECRET_WORD}=1`, /unknown parameter \(not shown/],
    ['a secret after the key with &', `awskms:///alias/a1&${SECRET}`, /keyId \(not shown\) is not a KMS key id.*alias name is alias\/ then/],
    ['a secret as the key', `awskms:///${SECRET}`, /keyId \(not shown\) is not a KMS key id/],
    ['a secret in an ARN', `awskms:///arn:aws:kms:us-east-1:111122223333:key/${SECRET}`, /keyId \(not shown\).*an ARN is arn:aws:kms:/],
    ['a secret as the region', `awskms:///alias/a1?region=${SECRET_WORD}`, /region \(not shown\) is not an AWS region name/],
    ['a secret as the scheme', `awskms:///alias/a1?scheme=${SECRET_WORD}`, /scheme must be http or https/],
    ['a secret as the endpoint', `awskms://h:${SECRET_WORD}/alias/a1`, /endpoint \(not shown\) is not HOST or HOST:PORT/],
  ])('%s', (_what, uri, why) => {
    const err = refusal(() => parseAwsKmsUri(uri));
    expect(err.message).toMatch(why);
    expectNoSecret(err);
  });

  it('names a credential parameter it knows and points to the credential chain, without its value', () => {
    const err = refusal(() => parseAwsKmsUri(`awskms:///alias/a1?aws_secret_access_key=${encodeURIComponent(SECRET)}`));
    expect(err.message).toMatch(/parameter "aws_secret_access_key" does not belong in the key URI: credentials come from the AWS credential chain/);
    expectNoSecret(err);
  });

  it('keeps the two-slashes suggestion, which shows only a valid key name', () => {
    expect(refusal(() => parseAwsKmsUri('awskms://alias/a1-root')).message).toContain('awskms:///alias/a1-root');
  });
});

describe('a keyId given as an option or in A1_KMS_KEY_ID is never shown', () => {
  it('new AwsKmsSigner({ keyId })', () => {
    const err = refusal(() => new AwsKmsSigner({ keyId: `alias/a1&${SECRET}`, region: 'us-east-1' }));
    expect(err.message).toMatch(/keyId \(not shown\)/);
    expectNoSecret(err);
  });

  it('A1_KMS_KEY_ID and AWS_REGION', () => {
    expectNoSecret(refusal(() => awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: SECRET })));
    const err = refusal(() => awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: 'alias/a1', AWS_REGION: SECRET }));
    expect(err.message).toMatch(/AWS_REGION/);
    expectNoSecret(err);
  });
});
