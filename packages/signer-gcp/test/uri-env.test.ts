/** Pure parsing: URIs, resource names, environment, endpoints and status mapping. No network. */
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { toSignerError } from '../src/errors.js';
import {
  clientOptionsForEndpoint,
  formatGcpKmsUri,
  gcpKmsOptionsFromEnv,
  parseGcpKmsKeyName,
  parseGcpKmsUri,
} from '../src/index.js';

const NAME = 'projects/acme-prod/locations/us-east1/keyRings/a1/cryptoKeys/root/cryptoKeyVersions/3';

function thrown(fn: () => unknown): SignerError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    return err as SignerError;
  }
  throw new Error('expected a throw');
}

describe('parseGcpKmsUri', () => {
  it('splits a gcpkms:// URI into the key parts and the full name', () => {
    expect(parseGcpKmsUri(`gcpkms://${NAME}`)).toEqual({
      name: NAME,
      project: 'acme-prod',
      location: 'us-east1',
      keyRing: 'a1',
      key: 'root',
      keyVersion: '3',
    });
  });

  it('reads an endpoint parameter and round-trips through formatGcpKmsUri', () => {
    const uri = formatGcpKmsUri(parseGcpKmsKeyName(NAME), 'http://127.0.0.1:9090');
    expect(uri).toBe(`gcpkms://${NAME}?endpoint=http%3A%2F%2F127.0.0.1%3A9090`);
    expect(parseGcpKmsUri(uri)).toMatchObject({ name: NAME, endpoint: 'http://127.0.0.1:9090' });
  });

  it.each([
    ['awskms:///alias/x', /starts with gcpkms:\/\//],
    ['gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k', /not a CryptoKeyVersion name/],
    ['gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/0', /positive integer/],
    ['gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/latest', /positive integer/],
    ['gcpkms://projects/p q/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1', /project .* not a valid/],
    [`gcpkms://${NAME}?region=x`, /unknown gcpkms URI parameter \(not shown: it may hold a secret; known: endpoint\)/],
    [`gcpkms://${NAME}?endpoint=`, /endpoint parameter is empty/],
  ])('refuses %s', (uri, why) => {
    const err = thrown(() => parseGcpKmsUri(uri));
    expect(err.code).toBe('Misconfigured');
    expect(err.message).toMatch(why);
  });

  it('refuses non-strings', () => {
    expect(thrown(() => parseGcpKmsUri(42 as unknown as string)).code).toBe('Misconfigured');
  });
});

describe('gcpKmsOptionsFromEnv', () => {
  const env = {
    A1_GCP_PROJECT: 'acme-prod',
    A1_GCP_LOCATION: 'us-east1',
    A1_GCP_KEY_RING: 'a1',
    A1_GCP_KEY: 'root',
    A1_GCP_KEY_VERSION: '3',
  };

  it('builds the key name from the A1_GCP_* variables', () => {
    expect(gcpKmsOptionsFromEnv(env)).toEqual({ ...parseGcpKmsKeyName(NAME), name: NAME });
  });

  it('passes the emulator endpoint and the credentials file through', () => {
    const options = gcpKmsOptionsFromEnv({
      ...env,
      A1_GCP_KMS_ENDPOINT: ' http://127.0.0.1:1234 ',
      GOOGLE_APPLICATION_CREDENTIALS: '/etc/a1/sa.json',
    });
    expect(options.endpoint).toBe('http://127.0.0.1:1234');
    expect(options.keyFilename).toBe('/etc/a1/sa.json');
  });

  it('lists every missing variable', () => {
    const err = thrown(() => gcpKmsOptionsFromEnv({ A1_GCP_PROJECT: 'p', A1_GCP_KEY: '' }));
    expect(err.code).toBe('Misconfigured');
    expect(err.message).toMatch(/A1_GCP_LOCATION, A1_GCP_KEY_RING, A1_GCP_KEY, A1_GCP_KEY_VERSION/);
  });

  it('names the variable that holds a bad value', () => {
    expect(thrown(() => gcpKmsOptionsFromEnv({ ...env, A1_GCP_KEY_VERSION: 'v1' })).message).toMatch(
      /A1_GCP_KEY_VERSION \(not shown\) must be a positive integer/,
    );
    expect(thrown(() => gcpKmsOptionsFromEnv({ ...env, A1_GCP_KEY_RING: 'a/b' })).message).toMatch(/A1_GCP_KEY_RING/);
  });
});

describe('clientOptionsForEndpoint', () => {
  it('makes a plaintext loopback setup with a pass-through auth client for http://', () => {
    const options = clientOptionsForEndpoint('http://127.0.0.1:8085');
    expect(options).toMatchObject({ apiEndpoint: '127.0.0.1', port: 8085 });
    expect(options.sslCreds).toBeDefined();
    expect(options.authClient?.constructor.name).toBe('PassThroughClient');
  });

  it('keeps TLS and normal credentials for https:// and bare host:port', () => {
    expect(clientOptionsForEndpoint('https://kms.example.internal')).toEqual({ apiEndpoint: 'kms.example.internal', port: 443 });
    expect(clientOptionsForEndpoint('kms.example.internal:8443')).toEqual({ apiEndpoint: 'kms.example.internal', port: 8443 });
    expect(clientOptionsForEndpoint('http://[::1]:9000')).toMatchObject({ apiEndpoint: '::1', port: 9000 });
  });

  it.each([
    ['http://127.0.0.1', /explicit port/],
    ['ftp://127.0.0.1:21', /scheme ftp:/],
    ['http://127.0.0.1:1/path', /just scheme/],
    ['http://user:pw@127.0.0.1:1', /just scheme/],
    ['http://[bad', /not host:port/],
  ])('refuses %s', (endpoint, why) => {
    const err = thrown(() => clientOptionsForEndpoint(endpoint));
    expect(err.code).toBe('Misconfigured');
    expect(err.message).toMatch(why);
    expect(err.message).not.toContain('pw@');
  });
});

describe('toSignerError', () => {
  const grpcError = (code: number, details: string) => Object.assign(new Error(details), { code, details });

  it.each([
    [5, 'KeyNotFound', false],
    [7, 'AccessDenied', false],
    [16, 'AccessDenied', false],
    [8, 'Throttled', true],
    [14, 'Unavailable', true],
    [13, 'Unavailable', true],
    [4, 'Timeout', true],
    [9, 'BackendError', false],
    [12, 'BackendError', false],
    [3, 'BackendError', false],
  ] as const)('maps status %i to %s (retryable %s)', (status, code, retryable) => {
    const err = toSignerError(grpcError(status, 'detail text'), 'key', 'AsymmetricSign');
    expect(err).toMatchObject({ provider: 'gcp-kms', keyId: 'key', code, retryable });
    expect(err.message).toContain('AsymmetricSign failed');
    expect(err.message).toContain('detail text');
  });

  it('treats a checksum complaint as retryable', () => {
    const err = toSignerError(grpcError(3, 'The checksum in field data_crc32c did not match'), 'key', 'AsymmetricSign');
    expect(err.retryable).toBe(true);
  });

  it('shortens long or non-printable details and passes SignerErrors through', () => {
    const err = toSignerError(grpcError(14, `x\u0000${'y'.repeat(1000)}`), 'key', 'GetPublicKey');
    expect(err.message.length).toBeLessThan(700);
    expect(err.message).not.toContain('\u0000');
    expect(toSignerError(err, 'other', 'x')).toBe(err);
  });
});
