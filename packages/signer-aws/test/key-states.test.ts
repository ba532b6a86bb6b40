/**
 * AWS key states and grants through AwsKmsSigner (real SDK, emulator), issued through @a1/core:
 * a key still being created or updated is waited for; the other states are non-retryable errors
 * naming the state; grant tokens make a grant usable before it propagates.
 */
import { CertBuilder, intentHash, LocalSigner, SignerError } from '@a1/core';
import { startAwsKms, type AwsKeyState, type AwsKmsEmulator } from '@a1/emulators';
import { CreateGrantCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsKmsSigner, type AwsKmsSignerOptions } from '../src/index.js';

const GRANTEE = { accessKeyId: 'AKIASIGNERGRANTEE001', secretAccessKey: 'signer-grantee-test-secret', allow: [] as string[] };

let kms: AwsKmsEmulator;
const opened: AwsKmsSigner[] = [];

function signer(keyId: string, overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
  const s = new AwsKmsSigner({ keyId, endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials: kms.clientConfig().credentials }, ...overrides });
  opened.push(s);
  return s;
}

function certBuilder(): CertBuilder {
  const t = BigInt(Math.floor(Date.now() / 1000));
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: t, expirationUnix: t + 600n });
}

async function failure(promise: Promise<unknown>): Promise<SignerError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    return err as SignerError;
  }
  throw new Error('expected no cert, got one');
}

beforeAll(async () => {
  kms = await startAwsKms({ credentials: [{ accessKeyId: 'AKIASIGNERADMIN00001', secretAccessKey: 'signer-admin-test-secret' }, GRANTEE], grantPropagationMs: 600_000 });
});
afterEach(async () => {
  kms.calls.reset();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await kms?.close();
});

describe('AwsKmsSigner and key states', () => {
  it.each(['Creating', 'Updating'] as const)('%s is transient: retried until the key is Enabled, then signs', async (state) => {
    const key = kms.createKey();
    const s = signer(key.keyId, { retry: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 500, deadlineMs: 30_000 } });
    await s.verifyingKey();
    kms.setKeyState(key.keyId, state);
    setTimeout(() => kms.setKeyState(key.keyId, 'Enabled'), 400);
    const cert = await certBuilder().buildAsync(s);
    expect(cert.signature).toHaveLength(64);
    expect(kms.calls.get('Sign')).toBeGreaterThan(1);
  });

  it.each([
    ['Disabled', 'DisabledException', 'is disabled'],
    ['PendingDeletion', 'KMSInvalidStateException', 'is pending deletion'],
    ['PendingImport', 'KMSInvalidStateException', 'is pending import'],
    ['Unavailable', 'KMSInvalidStateException', 'is unavailable'],
  ] as const)('%s: one Sign call, a non-retryable error naming the state, no cert', async (state, exception, text) => {
    const key = kms.createKey();
    const s = signer(key.keyId);
    await s.verifyingKey();
    kms.setKeyState(key.keyId, state as AwsKeyState);
    const err = await failure(certBuilder().buildAsync(s));
    expect(err).toMatchObject({ code: 'BackendError', retryable: false });
    expect(err.message).toContain(exception);
    expect(err.message).toContain(text);
    expect(kms.calls.get('Sign')).toBe(1);
  });

  it('a missing key is KeyNotFound (404), not retried', async () => {
    const err = await failure(signer('alias/no-such-key').verifyingKey());
    expect(err).toMatchObject({ code: 'KeyNotFound', retryable: false });
    expect((err.cause as { httpStatusCode?: number }).httpStatusCode).toBe(404);
    expect(kms.calls.get('GetPublicKey')).toBe(1);
  });
});

describe('AwsKmsSigner grantTokens', () => {
  it('signs through a grant that has not propagated yet when given its token; AccessDenied without it', async () => {
    const key = kms.createKey();
    const admin = new KMSClient({ ...kms.clientConfig(), maxAttempts: 1 });
    const { GrantToken } = await admin.send(
      new CreateGrantCommand({ KeyId: key.keyId, GranteePrincipal: `arn:aws:iam::${kms.accountId}:user/${GRANTEE.accessKeyId}`, Operations: ['Sign', 'GetPublicKey'] }),
    );
    admin.destroy();
    const asGrantee = { clientConfig: { credentials: GRANTEE } };
    const denied = await failure(certBuilder().buildAsync(signer(key.keyId, asGrantee)));
    expect(denied.code).toBe('AccessDenied');
    const cert = await certBuilder().buildAsync(signer(key.keyId, { ...asGrantee, grantTokens: [GrantToken!] }));
    expect(cert.signature).toHaveLength(64);
  });

  it('refuses malformed grant tokens without echoing them', () => {
    const secretish = 'grant-token-value-that-must-not-leak';
    for (const grantTokens of [[''], Array.from({ length: 11 }, () => secretish), [42 as unknown as string]]) {
      try {
        new AwsKmsSigner({ keyId: 'alias/x', region: 'us-east-1', grantTokens });
        throw new Error('expected a refusal');
      } catch (err) {
        expect(err).toMatchObject({ code: 'Misconfigured' });
        expect((err as Error).message).not.toContain(secretish);
      }
    }
  });
});
