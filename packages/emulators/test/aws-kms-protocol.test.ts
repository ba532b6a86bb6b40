/**
 * Wire-level edge cases of the AWS KMS emulator that the SDK never produces on purpose:
 * requests signed by hand (with the same SigV4 library) and then altered, or not signed at all.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsKms, type AwsKmsEmulator } from '../src/index.js';
import { startAwsKmsCommand } from '../src/aws/command.js';

let kms: AwsKmsEmulator;

beforeAll(async () => {
  kms = await startAwsKms({ keys: [{ alias: 'alias/root' }] });
});
afterAll(async () => {
  await kms.close();
});

interface RawRequest {
  target?: string;
  body: string;
  contentType?: string;
  signingDate?: Date;
  secret?: string;
}

/** A request signed the way the SDK signs it, ready to be altered before sending. */
async function signedRequest(options: RawRequest): Promise<{ headers: Record<string, string>; body: string }> {
  const url = new URL(kms.endpoint);
  const { accessKeyId, secretAccessKey } = kms.clientConfig().credentials;
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: options.secret ?? secretAccessKey },
    region: kms.region,
    service: 'kms',
    sha256: Sha256,
  });
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': options.contentType ?? 'application/x-amz-json-1.1',
  };
  if (options.target !== undefined) headers['x-amz-target'] = options.target;
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: options.body },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return { headers: signed.headers as Record<string, string>, body: options.body };
}

async function post(headers: Record<string, string>, body: string): Promise<{ status: number; json: { __type?: string; message?: string } & Record<string, unknown> }> {
  const { host: _host, ...rest } = headers;
  const res = await fetch(`${kms.endpoint}/`, { method: 'POST', headers: rest, body });
  return { status: res.status, json: (await res.json()) as { __type?: string; message?: string } };
}

const getPublicKey = JSON.stringify({ KeyId: 'alias/root' });

describe('AWS KMS emulator: wire protocol', () => {
  it('accepts a correctly signed hand-made request', async () => {
    const req = await signedRequest({ target: 'TrentService.GetPublicKey', body: getPublicKey });
    const res = await post(req.headers, req.body);
    expect(res.status).toBe(200);
    expect(res.json['KeySpec']).toBe('ECC_NIST_EDWARDS25519');
  });

  it('answers MissingAuthenticationTokenException without an Authorization header', async () => {
    const res = await post({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.GetPublicKey' }, getPublicKey);
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('MissingAuthenticationTokenException');
  });

  it('answers IncompleteSignatureException for a malformed Authorization header', async () => {
    const req = await signedRequest({ target: 'TrentService.GetPublicKey', body: getPublicKey });
    const res = await post({ ...req.headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x' }, req.body);
    expect(res.json.__type).toBe('IncompleteSignatureException');
    const basic = await post({ ...req.headers, authorization: 'Basic dXNlcjpwYXNz' }, req.body);
    expect(basic.json.__type).toBe('IncompleteSignatureException');
  });

  it('answers InvalidSignatureException when the body was changed after signing', async () => {
    const req = await signedRequest({ target: 'TrentService.GetPublicKey', body: getPublicKey });
    const res = await post(req.headers, JSON.stringify({ KeyId: 'alias/other' }));
    expect(res.json.__type).toBe('InvalidSignatureException');
  });

  it('answers InvalidSignatureException when a signed header was changed', async () => {
    const req = await signedRequest({ target: 'TrentService.GetPublicKey', body: getPublicKey });
    const res = await post({ ...req.headers, 'x-amz-target': 'TrentService.DescribeKey' }, req.body);
    expect(res.json.__type).toBe('InvalidSignatureException');
  });

  it('answers InvalidSignatureException for a signature older than 15 minutes', async () => {
    const req = await signedRequest({
      target: 'TrentService.GetPublicKey',
      body: getPublicKey,
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });
    const res = await post(req.headers, req.body);
    expect(res.json.__type).toBe('InvalidSignatureException');
    expect(res.json.message).toContain('Signature expired');
  });

  it('answers UnknownOperationException for a missing or unknown target', async () => {
    const none = await signedRequest({ body: getPublicKey });
    expect((await post(none.headers, none.body)).json.__type).toBe('UnknownOperationException');
    const unknown = await signedRequest({ target: 'TrentService.Decrypt', body: getPublicKey });
    expect((await post(unknown.headers, unknown.body)).json.__type).toBe('UnknownOperationException');
  });

  it('answers SerializationException for bodies that are not a JSON object', async () => {
    for (const body of ['{not json', '[1,2]', '"x"']) {
      const req = await signedRequest({ target: 'TrentService.GetPublicKey', body });
      const res = await post(req.headers, req.body);
      expect(res.status).toBe(400);
      expect(res.json.__type).toBe('SerializationException');
    }
    const badBlob = await signedRequest({
      target: 'TrentService.Sign',
      body: JSON.stringify({ KeyId: 'alias/root', Message: '!!!', SigningAlgorithm: 'ED25519_SHA_512', MessageType: 'RAW' }),
    });
    expect((await post(badBlob.headers, badBlob.body)).json.__type).toBe('SerializationException');
  });

  it('answers SerializationException for a content type that is not AWS JSON', async () => {
    const req = await signedRequest({ target: 'TrentService.GetPublicKey', body: getPublicKey, contentType: 'text/plain' });
    expect((await post(req.headers, req.body)).json.__type).toBe('SerializationException');
  });

  it('answers ValidationException for a wrongly typed enum value', async () => {
    const req = await signedRequest({
      target: 'TrentService.Sign',
      body: JSON.stringify({ KeyId: 'alias/root', Message: 'AAAA', SigningAlgorithm: 'ED448', MessageType: 'RAW' }),
    });
    const res = await post(req.headers, req.body);
    expect(res.json.__type).toBe('ValidationException');
    expect(res.json.message).toContain('enum value set');
  });

  it('answers a throttle as KMS does: 400 ThrottlingException and never a Retry-After header', async () => {
    // Even a quota's fault, which knows when its window ends, gets no header: the service sends none.
    kms.faults.inject({ fault: { kind: 'throttle', retryAfterSeconds: 2 }, times: 1 });
    const req = await signedRequest({ target: 'TrentService.GetPublicKey', body: getPublicKey });
    const { host: _host, ...headers } = req.headers;
    const res = await fetch(`${kms.endpoint}/`, { method: 'POST', headers, body: req.body });
    expect(res.status).toBe(400);
    expect(res.headers.get('retry-after')).toBeNull();
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toBe('ThrottlingException');
    expect(body.message).toBe('You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.');
  });
});

describe('AWS KMS emulator: command and describe()', () => {
  it('starts with an Ed25519 demo key behind alias/a1-demo and describes itself as JSON', async () => {
    const running = await startAwsKmsCommand({ port: 0, host: '127.0.0.1' });
    try {
      const description = JSON.parse(JSON.stringify(running.describe())) as ReturnType<typeof running.describe>;
      expect(description.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(description.keys).toHaveLength(1);
      expect(description.keys[0]?.aliases).toEqual(['alias/a1-demo']);
      expect(description.keys[0]?.keySpec).toBe('ECC_NIST_EDWARDS25519');
      expect(description.keys[0]?.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
      expect(description.env['A1_KMS_KEY_ID']).toBe('alias/a1-demo');
      expect(description.env['AWS_ENDPOINT_URL_KMS']).toBe(description.endpoint);
    } finally {
      await running.close();
    }
  });
});
