/**
 * Red-team M3: a secret pasted into a gcpkms:// URI, a key name, a key part or an endpoint must
 * never come back in the error's message, inspect or JSON.
 */
import { inspect } from 'node:util';
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { clientOptionsForEndpoint, GcpKmsSigner, gcpKmsOptionsFromEnv, parseGcpKmsUri } from '../src/index.js';

const SECRET = 'ya29.a0AfB_byC-SECRETTOKENxyz';
const SECRET_WORD = 'SECRETTOKEN';
const NAME = 'projects/acme-prod/locations/us-east1/keyRings/a1/cryptoKeys/root/cryptoKeyVersions/1';

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
  for (const text of [err.message, String(err), err.stack ?? '', inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)]) {
    expect(text).not.toContain(SECRET_WORD);
    expect(text).not.toContain('ya29');
  }
}

describe('parseGcpKmsUri names the wrong part, never its text', () => {
  it.each([
    ['credentials before the name', `gcpkms://u:${SECRET}@${NAME}`, /key name \(not shown\) is not a CryptoKeyVersion name/],
    ['a bare secret as a parameter', `gcpkms://${NAME}?${SECRET}`, /unknown gcpkms URI parameter \(not shown: it may hold a secret; known: endpoint\)/],
    ['a secret as a parameter name with a value', `gcpkms://${NAME}?${SECRET}=1`, /unknown gcpkms URI parameter \(not shown/],
    ['a secret as the project', `gcpkms://${NAME.replace('acme-prod', `${SECRET}@x`)}`, /project \(not shown\) is not a valid Cloud KMS id/],
    ['a secret as the key version', `gcpkms://${NAME.replace(/1$/, SECRET)}`, /keyVersion \(not shown\) must be a positive integer/],
  ])('%s', (_what, uri, why) => {
    const err = refusal(() => parseGcpKmsUri(uri));
    expect(err.message).toMatch(why);
    expectNoSecret(err);
  });

  it('names a credential parameter it knows and points to Application Default Credentials, without its value', () => {
    const err = refusal(() => parseGcpKmsUri(`gcpkms://${NAME}?access_token=${SECRET}`));
    expect(err.message).toMatch(/parameter "access_token" does not belong in the key URI: credentials come from Application Default Credentials/);
    expectNoSecret(err);
  });
});

describe('the same parts given as options, environment or endpoint are never shown', () => {
  it('GcpKmsSigner name and parts', () => {
    expectNoSecret(refusal(() => new GcpKmsSigner({ name: `u:${SECRET}@${NAME}` })));
    const err = refusal(
      () => new GcpKmsSigner({ project: 'p', location: 'l', keyRing: `r ${SECRET}`, key: 'k', keyVersion: '1' }),
    );
    expect(err.message).toMatch(/keyRing \(not shown\) is not a valid Cloud KMS id/);
    expectNoSecret(err);
  });

  it('A1_GCP_* variables', () => {
    const env = { A1_GCP_PROJECT: 'p', A1_GCP_LOCATION: 'l', A1_GCP_KEY_RING: 'r', A1_GCP_KEY: 'k', A1_GCP_KEY_VERSION: '1' };
    const err = refusal(() => gcpKmsOptionsFromEnv({ ...env, A1_GCP_KEY: `${SECRET}/x` }));
    expect(err.message).toMatch(/A1_GCP_KEY \(not shown\)/);
    expectNoSecret(err);
  });

  it('an endpoint that is not a URL', () => {
    const err = refusal(() => clientOptionsForEndpoint(`http://[${SECRET}`));
    expect(err.message).toMatch(/endpoint \(not shown\) is not host:port or an http\(s\) URL/);
    expectNoSecret(err);
  });
});
