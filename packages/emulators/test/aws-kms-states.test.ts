/**
 * AWS KMS key states and grants through the real @aws-sdk/client-kms: each state's answer to a
 * cryptographic call (exception class and HTTP status per the KMS model), the management calls
 * that move a key between states, and grants that work with their token before they propagate.
 */
import { randomBytes } from 'node:crypto';
import {
  CancelKeyDeletionCommand,
  CreateGrantCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  EnableKeyCommand,
  GetPublicKeyCommand,
  InvalidGrantTokenException,
  KMSClient,
  KMSInvalidStateException,
  ScheduleKeyDeletionCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsKms, type AwsKeyState, type AwsKmsEmulator } from '../src/index.js';

const LIMITED = { accessKeyId: 'AKIAGRANTEE000000001', secretAccessKey: 'grantee-test-secret', allow: [] as string[] };

let kms: AwsKmsEmulator;
let admin: KMSClient;
let grantee: KMSClient;

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

const sign = (client: KMSClient, keyId: string, grantTokens?: string[]) =>
  client.send(
    new SignCommand({
      KeyId: keyId,
      Message: randomBytes(32),
      MessageType: 'RAW',
      SigningAlgorithm: 'ED25519_SHA_512',
      ...(grantTokens ? { GrantTokens: grantTokens } : {}),
    }),
  );

beforeAll(async () => {
  kms = await startAwsKms({ credentials: [{ accessKeyId: 'AKIAADMIN00000000001', secretAccessKey: 'admin-test-secret' }, LIMITED], grantPropagationMs: 600_000 });
  admin = new KMSClient({ ...kms.clientConfig(), maxAttempts: 1 });
  grantee = new KMSClient({ endpoint: kms.endpoint, region: kms.region, credentials: LIMITED, maxAttempts: 1 });
});

afterAll(async () => {
  admin?.destroy();
  grantee?.destroy();
  await kms?.close();
});

describe('AWS KMS emulator: key states', () => {
  it.each([
    ['Disabled', DisabledException, 409, 'is disabled.'],
    ['PendingDeletion', KMSInvalidStateException, 409, 'is pending deletion.'],
    ['PendingImport', KMSInvalidStateException, 409, 'is pending import.'],
    ['Unavailable', KMSInvalidStateException, 409, 'is unavailable.'],
    ['Creating', KMSInvalidStateException, 409, 'is creating.'],
    ['Updating', KMSInvalidStateException, 409, 'is updating.'],
  ] as const)('%s -> %s (HTTP %i) on Sign and GetPublicKey', async (state, type, status, text) => {
    const key = kms.createKey();
    kms.setKeyState(key.keyId, state as AwsKeyState);
    for (const call of [sign(admin, key.keyId), admin.send(new GetPublicKeyCommand({ KeyId: key.keyId }))]) {
      const err = await rejection(call);
      expect(err).toBeInstanceOf(type);
      expect(err.$metadata?.httpStatusCode).toBe(status);
      expect(err.message).toBe(`${key.arn} ${text}`);
    }
    const described = await admin.send(new DescribeKeyCommand({ KeyId: key.keyId }));
    expect(described.KeyMetadata?.KeyState).toBe(state);
  });

  it('moves a key through DisableKey, EnableKey, ScheduleKeyDeletion and CancelKeyDeletion', async () => {
    const key = kms.createKey();
    await admin.send(new DisableKeyCommand({ KeyId: key.keyId }));
    expect(await rejection(sign(admin, key.keyId))).toBeInstanceOf(DisabledException);
    await admin.send(new EnableKeyCommand({ KeyId: key.keyId }));
    await sign(admin, key.keyId);
    await admin.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 7 }));
    expect(await rejection(sign(admin, key.keyId))).toBeInstanceOf(KMSInvalidStateException);
    const cancelled = await admin.send(new CancelKeyDeletionCommand({ KeyId: key.keyId }));
    expect(cancelled.KeyId).toBe(key.arn);
    // A cancelled deletion leaves the key Disabled.
    expect((await admin.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata?.KeyState).toBe('Disabled');
    expect(await rejection(admin.send(new CancelKeyDeletionCommand({ KeyId: key.keyId })))).toBeInstanceOf(KMSInvalidStateException);
  });
});

describe('AWS KMS emulator: grants', () => {
  it('a new grant is AccessDenied until it propagates, but works at once with its grant token', async () => {
    const key = kms.createKey();
    const { GrantToken } = await admin.send(
      new CreateGrantCommand({ KeyId: key.keyId, GranteePrincipal: `arn:aws:iam::${kms.accountId}:user/${LIMITED.accessKeyId}`, Operations: ['Sign', 'GetPublicKey'] }),
    );
    expect(GrantToken).toBeTruthy();
    expect((await rejection(sign(grantee, key.keyId))).name).toBe('AccessDeniedException');
    const signed = await sign(grantee, key.keyId, [GrantToken!]);
    expect(signed.Signature).toHaveLength(64);
    // The grant covers only its operations and its key.
    expect((await rejection(grantee.send(new DescribeKeyCommand({ KeyId: key.keyId, GrantTokens: [GrantToken!] })))).name).toBe('AccessDeniedException');
    expect((await rejection(sign(grantee, kms.createKey().keyId, [GrantToken!]))).name).toBe('AccessDeniedException');
  });

  it('an unknown grant token is InvalidGrantTokenException', async () => {
    const key = kms.createKey();
    expect(await rejection(sign(admin, key.keyId, ['not-a-grant-token']))).toBeInstanceOf(InvalidGrantTokenException);
  });
});

describe('AWS KMS emulator: temporary credentials', () => {
  const sessionToken = `IQoJb3JpZ2luX2VjEMULATOR${'Q'.repeat(60)}`;

  it('requires the session token, and a signature mismatch quotes the canonical request with it, as AWS does', async () => {
    const temp = await startAwsKms({ credentials: [{ accessKeyId: 'ASIATEMPORARY0000001', secretAccessKey: 'temporary-test-secret', sessionToken }], keys: [{ alias: 'alias/root' }] });
    const good = new KMSClient({ ...temp.clientConfig(), maxAttempts: 1 });
    const noToken = new KMSClient({ ...temp.clientConfig(), credentials: { accessKeyId: 'ASIATEMPORARY0000001', secretAccessKey: 'temporary-test-secret' }, maxAttempts: 1 });
    const wrongSecret = new KMSClient({ ...temp.clientConfig(), credentials: { accessKeyId: 'ASIATEMPORARY0000001', secretAccessKey: 'not-the-secret', sessionToken }, maxAttempts: 1 });
    try {
      await sign(good, 'alias/root');
      expect(temp.describe().env['AWS_SESSION_TOKEN']).toBe(sessionToken);
      expect((await rejection(sign(noToken, 'alias/root'))).name).toBe('UnrecognizedClientException');
      const mismatch = await rejection(sign(wrongSecret, 'alias/root'));
      expect(mismatch.name).toBe('InvalidSignatureException');
      expect(mismatch.message).toContain('The Canonical String for this request should have been');
      expect(mismatch.message).toContain(`x-amz-security-token:${sessionToken}`);
      expect(mismatch.message).toContain('The String-to-Sign should have been');
    } finally {
      for (const c of [good, noToken, wrongSecret]) c.destroy();
      await temp.close();
    }
  });
});
