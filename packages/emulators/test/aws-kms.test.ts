/**
 * The AWS KMS emulator driven by the real @aws-sdk/client-kms over loopback: the SDK's own
 * serializer, SigV4 signer, error parser and retry strategy are what these tests exercise.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisabledException,
  DryRunOperationException,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  KMSClient,
  KMSInternalException,
  KMSInvalidStateException,
  LimitExceededException,
  ListAliasesCommand,
  NotFoundException,
  SignCommand,
  UpdateAliasCommand,
  UnsupportedOperationException,
  type SignCommandInput,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsKms, type AwsKmsEmulator, type CreatedAwsKey } from '../src/index.js';

let kms: AwsKmsEmulator;
let ed: CreatedAwsKey;
let p256: CreatedAwsKey;
let client: KMSClient;

function edVerify(spki: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, message, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), signature);
}

function signInput(keyId: string, message: Uint8Array, extra: Partial<SignCommandInput> = {}): SignCommandInput {
  return { KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512', ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  kms = await startAwsKms({ keys: [{ alias: 'alias/root' }, { keySpec: 'ECC_NIST_P256', alias: 'alias/p256' }] });
  [ed, p256] = kms.keys as [CreatedAwsKey, CreatedAwsKey];
  client = new KMSClient({ ...kms.clientConfig(), maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await kms.close();
});

beforeEach(() => {
  kms.faults.clear();
  kms.calls.reset();
});

describe('AWS KMS emulator: keys', () => {
  it('GetPublicKey returns the 44-byte Ed25519 SPKI with spec, usage and algorithms', async () => {
    const out = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/root' }));
    expect(out.KeyId).toBe(ed.arn);
    expect(out.KeySpec).toBe('ECC_NIST_EDWARDS25519');
    expect(out.KeyUsage).toBe('SIGN_VERIFY');
    expect(out.SigningAlgorithms).toEqual(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
    expect(out.PublicKey).toHaveLength(44);
    expect(Buffer.from(out.PublicKey!).subarray(0, 12).toString('hex')).toBe('302a300506032b6570032100');
    expect(Buffer.from(out.PublicKey!).subarray(12)).toEqual(Buffer.from(ed.publicKey));
  });

  it('resolves a key by id, key ARN, alias name and alias ARN', async () => {
    const names = [ed.keyId, ed.arn, 'alias/root', `arn:aws:kms:${kms.region}:${kms.accountId}:alias/root`];
    for (const name of names) {
      const out = await client.send(new DescribeKeyCommand({ KeyId: name }));
      expect(out.KeyMetadata?.Arn).toBe(ed.arn);
    }
  });

  it('answers NotFoundException for unknown keys, aliases and foreign ARNs', async () => {
    for (const name of ['alias/nope', '00000000-0000-0000-0000-000000000000', ed.arn.replace(kms.accountId, '999999999999')]) {
      const err = await rejection(client.send(new GetPublicKeyCommand({ KeyId: name })));
      expect(err).toBeInstanceOf(NotFoundException);
      expect(err.$metadata?.httpStatusCode).toBe(404);
    }
  });

  it('creates Ed25519 and P-256 keys through CreateKey and describes them', async () => {
    const edOut = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }));
    expect(edOut.KeyMetadata?.KeySpec).toBe('ECC_NIST_EDWARDS25519');
    expect(edOut.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(edOut.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    const pOut = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    expect(pOut.KeyMetadata?.SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
    const described = await client.send(new DescribeKeyCommand({ KeyId: pOut.KeyMetadata!.KeyId }));
    expect(described.KeyMetadata?.KeyState).toBe('Enabled');
  });

  it('refuses key specs and usages it cannot serve, as the service would', async () => {
    // No KeyUsage means ENCRYPT_DECRYPT, which an ECC key cannot have.
    const noUsage = await rejection(client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519' })));
    expect(noUsage.name).toBe('ValidationException');
    const symmetric = await rejection(client.send(new CreateKeyCommand({})));
    expect(symmetric).toBeInstanceOf(UnsupportedOperationException);
  });

  it('creates, lists and re-points aliases', async () => {
    const key = kms.createKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/listed', TargetKeyId: key.keyId }));
    const listed = await client.send(new ListAliasesCommand({ KeyId: key.keyId }));
    expect(listed.Aliases?.map((a) => a.AliasName)).toEqual(['alias/listed']);
    expect(listed.Aliases?.[0]?.TargetKeyId).toBe(key.keyId);

    const dup = await rejection(client.send(new CreateAliasCommand({ AliasName: 'alias/listed', TargetKeyId: ed.keyId })));
    expect(dup).toBeInstanceOf(AlreadyExistsException);
    const reserved = await rejection(client.send(new CreateAliasCommand({ AliasName: 'alias/aws/kms', TargetKeyId: ed.keyId })));
    expect(reserved).toBeInstanceOf(NotFoundException);

    await client.send(new UpdateAliasCommand({ AliasName: 'alias/listed', TargetKeyId: ed.arn }));
    const moved = await client.send(new DescribeKeyCommand({ KeyId: 'alias/listed' }));
    expect(moved.KeyMetadata?.KeyId).toBe(ed.keyId);

    const all = await client.send(new ListAliasesCommand({ Limit: 1 }));
    expect(all.Aliases).toHaveLength(1);
    expect(all.Truncated).toBe(true);
    const next = await client.send(new ListAliasesCommand({ Limit: 100, Marker: all.NextMarker! }));
    expect(next.Aliases?.map((a) => a.AliasName)).toContain('alias/root');
  });
});

describe('AWS KMS emulator: Sign', () => {
  it('signs pure Ed25519 over the raw message; the signature verifies under the public key', async () => {
    const message = randomBytes(32);
    const out = await client.send(new SignCommand(signInput('alias/root', message)));
    expect(out.KeyId).toBe(ed.arn);
    expect(out.SigningAlgorithm).toBe('ED25519_SHA_512');
    expect(out.Signature).toHaveLength(64);
    expect(edVerify(ed.publicKeySpki, message, out.Signature!)).toBe(true);
    expect(edVerify(ed.publicKeySpki, randomBytes(32), out.Signature!)).toBe(false);
  });

  it('accepts 4096-byte messages and rejects 4097 bytes with ValidationException', async () => {
    const max = randomBytes(4096);
    const ok = await client.send(new SignCommand(signInput('alias/root', max)));
    expect(edVerify(ed.publicKeySpki, max, ok.Signature!)).toBe(true);
    const err = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(4097)))));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('4096');
  });

  it('rejects Ed25519ph and mismatched message types', async () => {
    const digestPure = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(64), { MessageType: 'DIGEST' }))));
    expect(digestPure.name).toBe('ValidationException');
    const rawPh = await rejection(
      client.send(new SignCommand(signInput('alias/root', randomBytes(32), { SigningAlgorithm: 'ED25519_PH_SHA_512' }))),
    );
    expect(rawPh.name).toBe('ValidationException');
    const ph = await rejection(
      client.send(
        new SignCommand(signInput('alias/root', randomBytes(64), { SigningAlgorithm: 'ED25519_PH_SHA_512', MessageType: 'DIGEST' })),
      ),
    );
    expect(ph).toBeInstanceOf(UnsupportedOperationException);
  });

  it('refuses algorithms the key type does not support with InvalidKeyUsageException', async () => {
    const ecdsaOnEd = await rejection(
      client.send(new SignCommand(signInput('alias/root', randomBytes(32), { SigningAlgorithm: 'ECDSA_SHA_256' }))),
    );
    expect(ecdsaOnEd).toBeInstanceOf(InvalidKeyUsageException);
    const edOnP256 = await rejection(client.send(new SignCommand(signInput('alias/p256', randomBytes(32)))));
    expect(edOnP256).toBeInstanceOf(InvalidKeyUsageException);
    expect(edOnP256.message).toContain('ECC_NIST_P256');
    const agreement = kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' });
    const wrongUsage = await rejection(
      client.send(new SignCommand(signInput(agreement.keyId, randomBytes(32), { SigningAlgorithm: 'ECDSA_SHA_256' }))),
    );
    expect(wrongUsage).toBeInstanceOf(InvalidKeyUsageException);
  });

  it('signs ECDSA_SHA_256 with a P-256 key (so negative tests see a real non-Ed25519 key)', async () => {
    const message = randomBytes(100);
    const out = await client.send(new SignCommand(signInput('alias/p256', message, { SigningAlgorithm: 'ECDSA_SHA_256' })));
    const publicKey = createPublicKey({ key: Buffer.from(p256.publicKeySpki), format: 'der', type: 'spki' });
    expect(verify('sha256', message, publicKey, out.Signature!)).toBe(true);
    const pub = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/p256' }));
    expect(pub.KeySpec).toBe('ECC_NIST_P256');
    expect(pub.SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
  });

  it('rejects missing and malformed members with ValidationException', async () => {
    const noAlg = await rejection(
      client.send(new SignCommand({ KeyId: 'alias/root', Message: randomBytes(32) } as unknown as SignCommandInput)),
    );
    expect(noAlg.name).toBe('ValidationException');
    expect(noAlg.message).toContain('signingAlgorithm');
    const empty = await rejection(client.send(new SignCommand(signInput('alias/root', new Uint8Array(0)))));
    expect(empty.name).toBe('ValidationException');
  });

  it('answers DryRunOperationException for a DryRun that would succeed', async () => {
    const err = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(32), { DryRun: true }))));
    expect(err).toBeInstanceOf(DryRunOperationException);
  });

  it('refuses disabled keys and keys pending deletion', async () => {
    const key = kms.createKey();
    kms.setKeyState(key.keyId, 'Disabled');
    expect(await rejection(client.send(new SignCommand(signInput(key.keyId, randomBytes(32)))))).toBeInstanceOf(DisabledException);
    expect(await rejection(client.send(new GetPublicKeyCommand({ KeyId: key.keyId })))).toBeInstanceOf(DisabledException);
    kms.setKeyState(key.keyId, 'PendingDeletion');
    expect(await rejection(client.send(new SignCommand(signInput(key.keyId, randomBytes(32)))))).toBeInstanceOf(
      KMSInvalidStateException,
    );
    const described = await client.send(new DescribeKeyCommand({ KeyId: key.keyId }));
    expect(described.KeyMetadata?.KeyState).toBe('PendingDeletion');
    expect(described.KeyMetadata?.DeletionDate).toBeInstanceOf(Date);
  });
});

describe('AWS KMS emulator: SigV4', () => {
  const otherSecret = 'not-the-configured-secret-value';

  it('answers InvalidSignatureException when the secret is wrong', async () => {
    const { accessKeyId } = kms.clientConfig().credentials;
    const bad = new KMSClient({ ...kms.clientConfig(), credentials: { accessKeyId, secretAccessKey: otherSecret }, maxAttempts: 1 });
    const err = await rejection(bad.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).not.toContain(otherSecret);
    bad.destroy();
  });

  it('answers UnrecognizedClientException for an unknown access key', async () => {
    const bad = new KMSClient({
      ...kms.clientConfig(),
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: otherSecret },
      maxAttempts: 1,
    });
    const err = await rejection(bad.send(new GetPublicKeyCommand({ KeyId: 'alias/root' })));
    expect(err.name).toBe('UnrecognizedClientException');
    bad.destroy();
  });

  it('answers InvalidSignatureException when the credential is scoped to another region', async () => {
    const bad = new KMSClient({ ...kms.clientConfig(), region: 'eu-west-1', maxAttempts: 1 });
    const err = await rejection(bad.send(new GetPublicKeyCommand({ KeyId: 'alias/root' })));
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toContain('region');
    bad.destroy();
  });

  it('answers AccessDeniedException for an identity without kms:Sign', async () => {
    const limited = await startAwsKms({
      credentials: [{ accessKeyId: 'AKIAREADONLY00000001', secretAccessKey: 'read-only-test-secret', allow: ['kms:GetPublicKey'] }],
      keys: [{ alias: 'alias/root' }],
    });
    const c = new KMSClient({ ...limited.clientConfig(), maxAttempts: 1 });
    try {
      await c.send(new GetPublicKeyCommand({ KeyId: 'alias/root' }));
      const err = await rejection(c.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain('kms:Sign');
    } finally {
      c.destroy();
      await limited.close();
    }
  });
});

describe('AWS KMS emulator: faults and counters', () => {
  it('counts calls per operation, retries included', async () => {
    const retrying = new KMSClient({ ...kms.clientConfig(), maxAttempts: 3 });
    kms.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign', times: 2 });
    const out = await retrying.send(new SignCommand(signInput('alias/root', randomBytes(32))));
    expect(out.$metadata.attempts).toBe(3);
    await retrying.send(new GetPublicKeyCommand({ KeyId: 'alias/root' }));
    expect(kms.calls.snapshot()).toEqual({ Sign: 3, GetPublicKey: 1 });
    retrying.destroy();
  });

  it('throttle -> ThrottlingException (400), retryable by the SDK', async () => {
    kms.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign', times: 1 });
    const err = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('limit-exceeded -> LimitExceededException (400)', async () => {
    kms.faults.inject({ fault: { kind: 'limit-exceeded' }, operation: 'Sign', times: 1 });
    const err = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
    expect(err).toBeInstanceOf(LimitExceededException);
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(kms.calls.get('Sign')).toBe(1);
  });

  it('a quota throttles every call over the limit until its window ends, retries included', async () => {
    const retrying = new KMSClient({ ...kms.clientConfig(), maxAttempts: 3 });
    kms.faults.quota({ limit: 1, windowMs: 600_000, operation: 'Sign' });
    await retrying.send(new SignCommand(signInput('alias/root', randomBytes(32))));
    const err = await rejection(retrying.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.attempts).toBe(3);
    retrying.destroy();
  });

  it('unavailable -> KMSInternalException (500)', async () => {
    kms.faults.inject({ fault: { kind: 'unavailable' }, times: 1 });
    const err = await rejection(client.send(new GetPublicKeyCommand({ KeyId: 'alias/root' })));
    expect(err).toBeInstanceOf(KMSInternalException);
    expect(err.$metadata?.httpStatusCode).toBe(500);
  });

  it('garbage-signature -> 64 random bytes that do not verify', async () => {
    kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'Sign', times: 1 });
    const message = randomBytes(32);
    const out = await client.send(new SignCommand(signInput('alias/root', message)));
    expect(out.Signature).toHaveLength(64);
    expect(edVerify(ed.publicKeySpki, message, out.Signature!)).toBe(false);
  });

  it('garbage-signature on GetPublicKey -> a public key that is not SPKI', async () => {
    kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'GetPublicKey', times: 1 });
    const out = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/root' }));
    expect(Buffer.from(out.PublicKey!)).not.toEqual(Buffer.from(ed.publicKeySpki));
  });

  it('wrong-key-signature -> a valid Ed25519 signature by a different key', async () => {
    kms.faults.inject({ fault: { kind: 'wrong-key-signature' }, operation: 'Sign', times: 1 });
    const message = randomBytes(32);
    const out = await client.send(new SignCommand(signInput('alias/root', message)));
    expect(out.Signature).toHaveLength(64);
    expect(edVerify(ed.publicKeySpki, message, out.Signature!)).toBe(false);
  });

  it('faults match a key by any of its names', async () => {
    kms.faults.inject({ fault: { kind: 'throttle' }, key: ed.arn });
    const other = kms.createKey({ alias: 'alias/untouched' });
    const hit = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
    expect(hit.name).toBe('ThrottlingException');
    const out = await client.send(new SignCommand(signInput('alias/untouched', randomBytes(32))));
    expect(out.KeyId).toBe(other.arn);
  });

  it('truncated-body -> the SDK fails reading the answer', async () => {
    kms.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'Sign' });
    const err = await rejection(client.send(new SignCommand(signInput('alias/root', randomBytes(32)))));
    // The headers promised a full 200 body; the SDK's deserializer hits the cut connection.
    expect(err.message).toContain('Deserialization error');
    expect(err.$metadata?.httpStatusCode).toBe(200);
  });

  it('hang -> no answer until the client gives up; close() still ends the connection', async () => {
    const hanging = await startAwsKms({ keys: [{ alias: 'alias/root' }] });
    hanging.faults.inject({ fault: { kind: 'hang' } });
    const c = new KMSClient({ ...hanging.clientConfig(), maxAttempts: 1 });
    const err = await rejection(
      c.send(new SignCommand(signInput('alias/root', randomBytes(32))), { abortSignal: AbortSignal.timeout(200) }),
    );
    expect(err.name).toBe('AbortError');
    // A second hung call is cut by close(), not left open.
    const pending = rejection(c.send(new GetPublicKeyCommand({ KeyId: 'alias/root' })));
    while (hanging.calls.get('GetPublicKey') === 0) await new Promise((r) => setTimeout(r, 5));
    await hanging.close();
    expect(await pending).toBeInstanceOf(Error);
    c.destroy();
  });

  it('latency delays the answer but it still arrives intact', async () => {
    kms.faults.inject({ fault: { kind: 'latency', ms: 30 }, operation: 'Sign', times: 1 });
    const message = randomBytes(32);
    const out = await client.send(new SignCommand(signInput('alias/root', message)));
    expect(edVerify(ed.publicKeySpki, message, out.Signature!)).toBe(true);
  });
});
