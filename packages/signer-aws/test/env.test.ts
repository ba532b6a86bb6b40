import { inspect } from 'node:util';
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { AwsKmsSigner, awsKmsOptionsFromEnv } from '../src/index.js';

const SECRET = 'env-secret-7d41c0b9e2a5';

function refused(env: Record<string, string>): SignerError {
  try {
    awsKmsOptionsFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    expect((err as SignerError).code).toBe('Misconfigured');
    return err as SignerError;
  }
  throw new Error('expected the environment to be refused');
}

describe('awsKmsOptionsFromEnv', () => {
  it('reads the key, region and endpoint', () => {
    expect(
      awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: 'alias/root', AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:4566' }),
    ).toEqual({ keyId: 'alias/root', region: 'eu-central-1', endpoint: 'http://127.0.0.1:4566' });
  });

  it('falls back to AWS_DEFAULT_REGION and AWS_ENDPOINT_URL, and prefers the KMS-specific endpoint', () => {
    expect(awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: 'alias/root', AWS_DEFAULT_REGION: 'us-west-2', AWS_ENDPOINT_URL: 'https://e.example' })).toEqual({
      keyId: 'alias/root',
      region: 'us-west-2',
      endpoint: 'https://e.example',
    });
    expect(
      awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: 'alias/root', AWS_ENDPOINT_URL: 'https://all.example', AWS_ENDPOINT_URL_KMS: 'https://kms.example' })
        .endpoint,
    ).toBe('https://kms.example');
  });

  it('leaves region and credentials to the SDK chain when the variables are absent', () => {
    expect(awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: 'alias/root' })).toEqual({ keyId: 'alias/root' });
    expect(awsKmsOptionsFromEnv({ A1_KMS_KEY_ID: 'alias/root', AWS_ACCESS_KEY_ID: 'AKIA1' }).clientConfig).toBeUndefined();
  });

  it('uses static credentials from the given env, with the session token', () => {
    const options = awsKmsOptionsFromEnv({
      A1_KMS_KEY_ID: 'alias/root',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: 'token-1',
    });
    expect(options.clientConfig?.credentials).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET, sessionToken: 'token-1' });
  });

  it('refuses a missing or malformed key id, region or endpoint, naming the variable', () => {
    expect(refused({}).message).toContain('A1_KMS_KEY_ID');
    expect(refused({ A1_KMS_KEY_ID: '   ' }).message).toContain('A1_KMS_KEY_ID');
    expect(refused({ A1_KMS_KEY_ID: 'my key' }).message).toContain('A1_KMS_KEY_ID: keyId (not shown) is not a KMS key id');
    expect(refused({ A1_KMS_KEY_ID: 'alias/root', AWS_REGION: 'Mars' }).message).toContain('AWS_REGION');
    expect(refused({ A1_KMS_KEY_ID: 'alias/root', AWS_ENDPOINT_URL_KMS: 'ftp://x' }).message).toContain('AWS_ENDPOINT_URL');
  });

  it('refuses an endpoint with credentials without repeating them', () => {
    const err = refused({ A1_KMS_KEY_ID: 'alias/root', AWS_ENDPOINT_URL_KMS: `http://user:${SECRET}@127.0.0.1:1` });
    expect(err.message).not.toContain(SECRET);
  });

  it('AwsKmsSigner.fromEnv builds a signer without I/O and without exposing the secret', () => {
    const signer = AwsKmsSigner.fromEnv({
      A1_KMS_KEY_ID: 'alias/root',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    expect(signer.keyId).toBe('alias/root');
    expect(signer.provider).toBe('aws-kms');
    expect(JSON.stringify(signer)).not.toContain(SECRET);
    expect(inspect(signer, { depth: 10, showHidden: true })).not.toContain(SECRET);
  });
});
