/**
 * Issue 12 §2: with temporary credentials, AWS answers a bad signature with the canonical request,
 * whose `x-amz-security-token:` line is the session token. The SignerError must keep a cleaned
 * cause (name, HTTP status, request id) — never the SDK exception or the raw response — so no
 * rendering of the error (message, stack, cause chain, inspect, JSON, deep walk) shows the token.
 */
import { inspect } from 'node:util';
import { CertBuilder, intentHash, LocalSigner, SignerError } from '@a1/core';
import { startAwsKms, type AwsKmsEmulator } from '@a1/emulators';
import { findSecretLeaks } from '@a1/signer-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsKmsServiceFault, AwsKmsSigner } from '../src/index.js';

// Shaped like an STS token (a test value, not a credential).
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjSIGNERTEST${'Z'.repeat(64)}`;
const ACCESS_KEY = 'ASIASIGNERTEMP000001';
const SECRET = 'signer-aws-temporary-secret-7d41';

let kms: AwsKmsEmulator;
beforeAll(async () => {
  kms = await startAwsKms({ credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN }], keys: [{ alias: 'alias/a1-root' }] });
});
afterAll(async () => {
  await kms?.close();
});

describe('AwsKmsSigner with a session token', () => {
  it('signs with temporary credentials', async () => {
    const signer = new AwsKmsSigner({ keyId: 'alias/a1-root', endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN } } });
    try {
      expect(await signer.signMessage(new Uint8Array(32))).toHaveLength(64);
    } finally {
      await signer.close();
    }
  });

  it('an InvalidSignatureException quoting the canonical request leaves no token in the error, only a cleaned cause', async () => {
    const signer = new AwsKmsSigner({
      keyId: 'alias/a1-root',
      endpoint: kms.endpoint,
      region: kms.region,
      clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'a-wrong-secret-value', sessionToken: SESSION_TOKEN } },
    });
    try {
      const t = BigInt(Math.floor(Date.now() / 1000));
      let error: unknown;
      try {
        await new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('x'), issuedAt: t, expirationUnix: t + 60n }).buildAsync(signer);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SignerError);
      const signerError = error as SignerError;
      expect(signerError).toMatchObject({ code: 'AccessDenied', retryable: false });
      expect(signerError.cause).toBeInstanceOf(AwsKmsServiceFault);
      expect(signerError.cause).toMatchObject({ name: 'InvalidSignatureException', httpStatusCode: 400 });
      expect((signerError.cause as AwsKmsServiceFault).requestId).toMatch(/^[0-9a-f-]{36}$/);
      // The testkit's finder: the configured token and secret, and the token/canonical-request shapes.
      expect(findSecretLeaks(signerError, [SESSION_TOKEN, SECRET])).toEqual([]);
      expect(inspect(signerError, { depth: 10, showHidden: true })).not.toContain(SESSION_TOKEN);
      expect(JSON.stringify(signerError)).not.toContain(SESSION_TOKEN);
    } finally {
      await signer.close();
    }
  });
});
