import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { parseAwsKmsUri } from '../src/index.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function misconfigured(uri: string): SignerError {
  try {
    parseAwsKmsUri(uri);
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    expect((err as SignerError).code).toBe('Misconfigured');
    expect((err as SignerError).retryable).toBe(false);
    return err as SignerError;
  }
  throw new Error(`expected ${uri} to be refused`);
}

describe('parseAwsKmsUri', () => {
  it('reads an alias on the service endpoint', () => {
    expect(parseAwsKmsUri('awskms:///alias/a1-root?region=us-east-1')).toEqual({ keyId: 'alias/a1-root', region: 'us-east-1' });
  });

  it('takes the region from a key ARN, and accepts a matching region parameter', () => {
    expect(parseAwsKmsUri(`awskms:///${ARN}`)).toEqual({ keyId: ARN, region: 'eu-west-1' });
    expect(parseAwsKmsUri(`awskms:///${ARN}?region=eu-west-1`)).toEqual({ keyId: ARN, region: 'eu-west-1' });
  });

  it('reads bare key ids, multi-region key ids and alias ARNs', () => {
    expect(parseAwsKmsUri('awskms:///1234abcd-12ab-34cd-56ef-1234567890ab').keyId).toBe('1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(parseAwsKmsUri('awskms:///mrk-1234abcd12ab34cd56ef1234567890ab').keyId).toBe('mrk-1234abcd12ab34cd56ef1234567890ab');
    const aliasArn = 'arn:aws:kms:us-west-2:111122223333:alias/root';
    expect(parseAwsKmsUri(`awskms:///${aliasArn}`)).toEqual({ keyId: aliasArn, region: 'us-west-2' });
  });

  it('turns a host into an endpoint: http for loopback, https otherwise, scheme= overrides', () => {
    expect(parseAwsKmsUri('awskms://127.0.0.1:4566/alias/x?region=us-east-1')).toEqual({
      keyId: 'alias/x',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
    });
    expect(parseAwsKmsUri('awskms://localhost:4566/alias/x').endpoint).toBe('http://localhost:4566');
    expect(parseAwsKmsUri('awskms://[::1]:4566/alias/x').endpoint).toBe('http://[::1]:4566');
    expect(parseAwsKmsUri('awskms://vpce-1.kms.us-east-1.vpce.amazonaws.com/alias/x').endpoint).toBe(
      'https://vpce-1.kms.us-east-1.vpce.amazonaws.com',
    );
    expect(parseAwsKmsUri('awskms://kms.internal:8443/alias/x?scheme=http').endpoint).toBe('http://kms.internal:8443');
    expect(parseAwsKmsUri('awskms://127.0.0.1:4566/alias/x?scheme=https').endpoint).toBe('https://127.0.0.1:4566');
  });

  it('decodes a percent-encoded key', () => {
    expect(parseAwsKmsUri('awskms:///alias%2Froot').keyId).toBe('alias/root');
  });

  it('refuses other schemes, missing or malformed keys, and unknown parameters', () => {
    expect(misconfigured('gcpkms://projects/p').message).toContain('awskms://');
    expect(misconfigured('awskms://').message).toContain('no key');
    expect(misconfigured('awskms:///').message).toContain('keyId');
    expect(misconfigured('awskms:///not-a-key').message).toContain('keyId (not shown) is not a KMS key id');
    expect(misconfigured('awskms:///alias/x?regoin=us-east-1').message).toContain('unknown parameter (not shown: it may hold a secret; allowed: region, scheme)');
    expect(misconfigured('awskms:///alias/x#frag').message).toContain('fragment');
    expect(misconfigured('awskms:///alias/x?region=US_EAST').message).toContain('region (not shown) is not an AWS region name');
    expect(misconfigured('awskms:///alias/%E0%A4%A').message).toContain('percent');
    expect(misconfigured('awskms://host:99999/alias/x').message).toContain('HOST:PORT');
    expect(misconfigured('awskms:///alias/x?scheme=ftp').message).toContain('scheme must be http or https');
    expect(misconfigured('awskms:///alias/x?scheme=http').message).toContain('custom endpoint');
  });

  it('refuses a region that contradicts the key ARN', () => {
    const err = misconfigured(`awskms:///${ARN}?region=us-east-1`);
    expect(err.message).toContain('eu-west-1');
    expect(err.message).toContain('us-east-1');
  });

  it('refuses credentials in the URI without repeating them', () => {
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
    const err = misconfigured(`awskms://AKIDEXAMPLE:${secret}@127.0.0.1:4566/alias/x`);
    expect(err.message).toContain('credentials');
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('AKIDEXAMPLE');
  });
});

describe('parseAwsKmsUri: two slashes instead of three (issue 11)', () => {
  function refusal(uri: string): string {
    try {
      parseAwsKmsUri(uri);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('Misconfigured');
      return (err as Error).message;
    }
    throw new Error(`expected ${uri} to be refused`);
  }

  it('says "alias" was read as a host and suggests awskms:///alias/a1-root', () => {
    const message = refusal('awskms://alias/a1-root');
    expect(message).toContain('"alias" was read as a host');
    expect(message).toContain('awskms:///alias/a1-root');
  });

  it('does the same for a key ARN, a nested alias and a bare key id with no path', () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(refusal(`awskms://${arn}?region=us-east-1`)).toContain(`awskms:///${arn}`);
    expect(refusal('awskms://alias/team/a1-root')).toContain('awskms:///alias/team/a1-root');
    expect(refusal('awskms://1234abcd-12ab-34cd-56ef-1234567890ab')).toContain('awskms:///1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  it('keeps a real custom endpoint working, and never echoes an authority with credentials', () => {
    expect(parseAwsKmsUri('awskms://127.0.0.1:4566/alias/a1-root').endpoint).toBe('http://127.0.0.1:4566');
    expect(refusal('awskms://user:hunter2-secret@alias/a1-root')).not.toContain('hunter2-secret');
  });
});
