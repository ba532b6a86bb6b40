/**
 * AwsKmsSigner through the real @aws-sdk/client-kms against the AWS KMS emulator on a random
 * loopback port: signatures, certs and chains that @a1/core verifies, first-use checks, and
 * every fault class ending in a typed SignerError with no cert emitted.
 */
import { inspect } from 'node:util';
import {
  authorize,
  CertBuilder,
  intentHash,
  issuePassport,
  LocalSigner,
  parseSignedChain,
  serializeSignedChain,
  SignerError,
  verifyEd25519,
  type DelegationCert,
  type SignedChain,
} from '@a1/core';
import { startAwsKms, type AwsKmsEmulator, type CreatedAwsKey } from '@a1/emulators';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsKmsSigner, type AwsKmsSignerOptions } from '../src/index.js';

const SECRET = 'signer-aws-test-secret-5e0c9a71';
const ACCESS_KEY = 'AKIASIGNERAWSTEST001';

let kms: AwsKmsEmulator;
let root: CreatedAwsKey;
let p256: CreatedAwsKey;
const opened: AwsKmsSigner[] = [];

function signer(overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
  const s = new AwsKmsSigner({
    keyId: 'alias/a1-root',
    region: kms.region,
    endpoint: kms.endpoint,
    clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } },
    ...overrides,
  });
  opened.push(s);
  return s;
}

function nowSecs(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

function builder(delegatePk: Uint8Array, scope = intentHash('trade.equity')): CertBuilder {
  const now = nowSecs();
  return new CertBuilder({ delegatePk, scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n });
}

/** Builds one cert and returns the SignerError it fails with; fails the test if a cert comes out. */
async function buildFails(s: AwsKmsSigner, signal?: AbortSignal): Promise<SignerError> {
  let cert: DelegationCert | undefined;
  try {
    cert = await builder(LocalSigner.generate().verifyingKey()).buildAsync(s, signal ? { signal } : {});
  } catch (err) {
    expect(err).toBeInstanceOf(SignerError);
    return err as SignerError;
  }
  throw new Error(`a cert was emitted despite the fault (signature ${cert.signature.length} bytes)`);
}

function expectNoSecret(err: unknown): void {
  const text = [String(err), (err as Error).stack ?? '', inspect(err, { depth: 10 }), JSON.stringify(err)].join('\n');
  expect(text).not.toContain(SECRET);
}

beforeAll(async () => {
  kms = await startAwsKms({
    credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET }],
    keys: [
      { alias: 'alias/a1-root' },
      { keySpec: 'ECC_NIST_P256', alias: 'alias/p256-root' },
    ],
  });
  [root, p256] = kms.keys as [CreatedAwsKey, CreatedAwsKey];
});

afterEach(async () => {
  kms.faults.clear();
  kms.calls.reset();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await kms.close();
});

describe('AwsKmsSigner: signing through the real SDK', () => {
  it('returns the KMS key as a 32-byte verifying key and signs pure Ed25519', async () => {
    const s = signer();
    expect(await s.verifyingKey()).toEqual(root.publicKey);
    const message = crypto.getRandomValues(new Uint8Array(32));
    const signature = await s.signMessage(message);
    expect(signature).toHaveLength(64);
    expect(verifyEd25519(root.publicKey, message, signature)).toBe(true);
    expect(s.keyArn).toBe(root.arn);
  });

  it('addresses the key by id, key ARN and alias ARN too', async () => {
    for (const keyId of [root.keyId, root.arn, `arn:aws:kms:${kms.region}:${kms.accountId}:alias/a1-root`]) {
      const s = signer({ keyId });
      const message = crypto.getRandomValues(new Uint8Array(32));
      expect(verifyEd25519(root.publicKey, message, await s.signMessage(message))).toBe(true);
    }
  });

  it('issues a cert that authorize() accepts after a JSON round trip', async () => {
    const s = signer();
    const agent = LocalSigner.generate();
    const scope = intentHash('trade.equity');
    const cert = await builder(agent.verifyingKey(), scope).buildAsync(s);
    const chain: SignedChain = { principalPk: await s.verifyingKey(), principalScope: scope, certs: [cert] };
    const parsed = parseSignedChain(serializeSignedChain(chain));
    const receipt = await authorize(parsed, { agentPk: agent.verifyingKey(), intent: scope, now: nowSecs() });
    expect(receipt).toBeDefined();
  });

  it('issues a 2-hop chain (KMS root -> agent -> sub-agent) that authorize() accepts', async () => {
    const s = signer();
    const agent = LocalSigner.generate();
    const subAgent = LocalSigner.generate();
    const scope = intentHash('trade.equity');
    const now = nowSecs();
    const first = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n })
      .maxDepth(4)
      .buildAsync(s);
    const second = new CertBuilder({ delegatePk: subAgent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).build(
      agent,
    );
    const chain: SignedChain = { principalPk: root.publicKey, principalScope: scope, certs: [first, second] };
    await expect(authorize(chain, { agentPk: subAgent.verifyingKey(), intent: scope, now })).resolves.toBeDefined();
    // The same chain does not authorize the middle agent, nor another intent.
    await expect(authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, now })).rejects.toMatchObject({ code: 'UnauthorizedLeaf' });
    await expect(
      authorize(chain, { agentPk: subAgent.verifyingKey(), intent: intentHash('trade.crypto'), now }),
    ).rejects.toMatchObject({ code: 'ScopeViolation' });
  });

  it('issues a passport and a sub-cert that passport.guard() accepts', async () => {
    const s = signer();
    const agent = LocalSigner.generate();
    const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer: s });
    const sub = await passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: s });
    const chain = passport.newChain();
    chain.certs.push(sub);
    const receipt = await passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' }, now: nowSecs() });
    expect(receipt.passportNamespace).toBe('acme');
    await expect(
      passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'audit.read' }, now: nowSecs() }),
    ).rejects.toBeDefined();
  });

  it('uses an injected KMSClient and leaves it open on close()', async () => {
    const client = new KMSClient({ ...kms.clientConfig(), credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } });
    const s = new AwsKmsSigner({ keyId: 'alias/a1-root', client });
    await s.signMessage(new Uint8Array(32));
    await s.close();
    const again = new AwsKmsSigner({ keyId: 'alias/a1-root', client });
    await expect(again.verifyingKey()).resolves.toEqual(root.publicKey);
    client.destroy();
  });

  it('fromUri reaches the emulator through a custom endpoint', async () => {
    const url = new URL(kms.endpoint);
    const s = AwsKmsSigner.fromUri(`awskms://${url.host}/alias/a1-root?region=${kms.region}`, {
      clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } },
    });
    opened.push(s);
    expect(await s.verifyingKey()).toEqual(root.publicKey);
  });

  it('fromEnv reaches the emulator with the variables users already set', async () => {
    const s = AwsKmsSigner.fromEnv({
      A1_KMS_KEY_ID: 'alias/a1-root',
      AWS_REGION: kms.region,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    opened.push(s);
    const message = crypto.getRandomValues(new Uint8Array(32));
    expect(verifyEd25519(root.publicKey, message, await s.signMessage(message))).toBe(true);
  });
});

describe('AwsKmsSigner: the public key is fetched once and pinned', () => {
  it('makes one GetPublicKey across many signs', async () => {
    const s = signer();
    for (let i = 0; i < 25; i++) await s.signMessage(crypto.getRandomValues(new Uint8Array(32)));
    await s.verifyingKey();
    expect(kms.calls.get('GetPublicKey')).toBe(1);
    expect(kms.calls.get('Sign')).toBe(25);
  });

  it('shares one in-flight GetPublicKey among 50 concurrent first uses', async () => {
    const s = signer();
    kms.faults.inject({ fault: { kind: 'latency', ms: 50 }, operation: 'GetPublicKey' });
    const messages = Array.from({ length: 50 }, () => crypto.getRandomValues(new Uint8Array(32)));
    const signatures = await Promise.all(messages.map((m) => s.signMessage(m)));
    signatures.forEach((sig, i) => expect(verifyEd25519(root.publicKey, messages[i]!, sig)).toBe(true));
    expect(kms.calls.get('GetPublicKey')).toBe(1);
  });

  it('does not cache a failed fetch: the next call asks again', async () => {
    const s = signer({ maxAttempts: 1 });
    kms.faults.inject({ fault: { kind: 'unavailable' }, operation: 'GetPublicKey', times: 1 });
    await expect(s.verifyingKey()).rejects.toMatchObject({ code: 'Unavailable' });
    expect(await s.verifyingKey()).toEqual(root.publicKey);
    expect(kms.calls.get('GetPublicKey')).toBe(2);
  });

  it('refuses to pair a signature from another key when the alias is re-pointed mid-flight', async () => {
    const moving = kms.createKey({ alias: 'alias/moving' });
    const s = signer({ keyId: 'alias/moving' });
    expect(await s.verifyingKey()).toEqual(moving.publicKey);
    const next = kms.createKey();
    kms.updateAlias('alias/moving', next.keyId);
    const err = await buildFails(s);
    expect(err.code).toBe('SignatureMismatch');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(next.arn);
  });
});

describe('AwsKmsSigner: wrong keys are refused at first use', () => {
  it('refuses a P-256 key on verifyingKey(), naming the key and what it is', async () => {
    const s = signer({ keyId: 'alias/p256-root' });
    const err = (await s.verifyingKey().catch((e: unknown) => e)) as SignerError;
    expect(err).toBeInstanceOf(SignerError);
    expect(err.code).toBe('WrongKeyType');
    expect(err.retryable).toBe(false);
    expect(err.provider).toBe('aws-kms');
    expect(err.keyId).toBe('alias/p256-root');
    expect(err.message).toContain('alias/p256-root');
    expect(err.message).toContain(p256.arn);
    expect(err.message).toContain('ECC_NIST_P256');
    expect(err.message).toContain('--key-spec ECC_NIST_EDWARDS25519');
  });

  it('refuses a P-256 key on the first signMessage() before any Sign call', async () => {
    const s = signer({ keyId: 'alias/p256-root' });
    await expect(s.signMessage(new Uint8Array(32))).rejects.toMatchObject({ code: 'WrongKeyType' });
    expect(kms.calls.get('Sign')).toBe(0);
  });

  it('refuses a key-agreement key', async () => {
    const agreement = kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' });
    const err = await buildFails(signer({ keyId: agreement.keyId }));
    expect(err.code).toBe('WrongKeyType');
    expect(err.message).toContain('KEY_AGREEMENT');
  });

  it('answers KeyNotFound for a missing alias', async () => {
    const err = await buildFails(signer({ keyId: 'alias/does-not-exist' }));
    expect(err.code).toBe('KeyNotFound');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('alias/does-not-exist');
    expect(err.cause).toBeDefined();
  });

  it('refuses a disabled key and a key pending deletion, not retryable', async () => {
    const disabled = kms.createKey();
    kms.setKeyState(disabled.keyId, 'Disabled');
    const err = await buildFails(signer({ keyId: disabled.keyId }));
    expect(err).toMatchObject({ code: 'BackendError', retryable: false });
    expect(err.message).toContain('disabled');
    const deleting = kms.createKey();
    kms.setKeyState(deleting.keyId, 'PendingDeletion');
    expect(await buildFails(signer({ keyId: deleting.keyId }))).toMatchObject({ code: 'BackendError', retryable: false });
  });

  it('refuses a GetPublicKey answer that is not an Ed25519 SPKI', async () => {
    kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'GetPublicKey', times: 1 });
    const err = await buildFails(signer());
    expect(err.code).toBe('InvalidResponse');
    expect(err.message).toContain('SubjectPublicKeyInfo');
  });
});

describe('AwsKmsSigner: every fault ends in a typed SignerError and no cert', () => {
  it('throttling past the SDK retries -> Throttled, retryable, the SDK exception kept as cause', async () => {
    const s = signer({ maxAttempts: 2 });
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign' });
    const err = await buildFails(s);
    expect(err).toMatchObject({ code: 'Throttled', retryable: true, provider: 'aws-kms', keyId: 'alias/a1-root' });
    expect((err.cause as Error).name).toBe('ThrottlingException');
    expect(kms.calls.get('Sign')).toBe(2);
  });

  it('throttling that clears within the retries is invisible to the caller', async () => {
    const s = signer({ maxAttempts: 3 });
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign', times: 2 });
    const cert = await builder(LocalSigner.generate().verifyingKey()).buildAsync(s);
    expect(cert.signature).toHaveLength(64);
    expect(kms.calls.get('Sign')).toBe(3);
  });

  it('5xx -> Unavailable, retryable', async () => {
    const s = signer({ maxAttempts: 1 });
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign' });
    const err = await buildFails(s);
    expect(err).toMatchObject({ code: 'Unavailable', retryable: true });
    expect((err.cause as Error).name).toBe('KMSInternalException');
  });

  it('a hang past the deadline -> Timeout, retryable, naming the deadline', async () => {
    const s = signer({ timeoutMs: 300, maxAttempts: 1 });
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' });
    const err = await buildFails(s);
    expect(err).toMatchObject({ code: 'Timeout', retryable: true });
    expect(err.message).toContain('300 ms');
  });

  it('a hang on the first-use key fetch -> Timeout', async () => {
    kms.faults.inject({ fault: { kind: 'hang' }, operation: 'GetPublicKey' });
    const err = await buildFails(signer({ timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'Timeout', retryable: true });
  });

  it('garbage signature -> SignatureMismatch from the cert builder', async () => {
    const s = signer();
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'Sign' });
    expect(await buildFails(s)).toMatchObject({ code: 'SignatureMismatch', retryable: false, keyId: 'alias/a1-root' });
  });

  it('wrong-key signature -> SignatureMismatch', async () => {
    const s = signer();
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'wrong-key-signature' }, operation: 'Sign' });
    expect(await buildFails(s)).toMatchObject({ code: 'SignatureMismatch', retryable: false });
  });

  it('truncated body -> InvalidResponse, retryable', async () => {
    const s = signer({ maxAttempts: 1 });
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'Sign' });
    const err = await buildFails(s);
    expect(err).toMatchObject({ code: 'InvalidResponse', retryable: true });
    expect(err.cause).toBeDefined();
  });

  it('a caller abort mid-call -> Aborted, not retryable', async () => {
    const s = signer();
    await s.verifyingKey();
    kms.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' });
    const err = await buildFails(s, AbortSignal.timeout(100));
    expect(err).toMatchObject({ code: 'Aborted', retryable: false });
  });

  it('an already-aborted signal -> Aborted before any call', async () => {
    const s = signer();
    await s.verifyingKey();
    const err = (await s.signMessage(new Uint8Array(32), { signal: AbortSignal.abort() }).catch((e: unknown) => e)) as SignerError;
    expect(err).toMatchObject({ code: 'Aborted', retryable: false });
    expect(kms.calls.get('Sign')).toBe(0);
  });

  it('one caller aborting does not fail the shared first-use fetch of others', async () => {
    const s = signer();
    kms.faults.inject({ fault: { kind: 'latency', ms: 150 }, operation: 'GetPublicKey' });
    const controller = new AbortController();
    const aborted = s.signMessage(new Uint8Array(32), { signal: controller.signal });
    const patient = s.signMessage(new Uint8Array(32));
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'Aborted' });
    await expect(patient).resolves.toHaveLength(64);
    expect(kms.calls.get('GetPublicKey')).toBe(1);
  });
});

describe('AwsKmsSigner: credentials and secrets', () => {
  it('a wrong secret -> AccessDenied, not retryable, secret absent from every rendering', async () => {
    const wrongSecret = 'wrong-secret-b3c8d2e1f0a9';
    const s = signer({ clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: wrongSecret } } });
    const err = await buildFails(s);
    expect(err).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect((err.cause as Error).name).toBe('InvalidSignatureException');
    for (const text of [String(err), inspect(err, { depth: 10 }), JSON.stringify(err), err.stack ?? '']) {
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(SECRET);
    }
  });

  it('an unknown access key -> AccessDenied', async () => {
    const s = signer({ clientConfig: { credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN01', secretAccessKey: SECRET } } });
    const err = await buildFails(s);
    expect(err.code).toBe('AccessDenied');
    expect((err.cause as Error).name).toBe('UnrecognizedClientException');
    expectNoSecret(err);
  });

  it('an identity without kms:Sign -> AccessDenied naming the missing action', async () => {
    const limited = await startAwsKms({
      credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, allow: ['kms:GetPublicKey'] }],
      keys: [{ alias: 'alias/a1-root' }],
    });
    try {
      const s = new AwsKmsSigner({
        keyId: 'alias/a1-root',
        region: limited.region,
        endpoint: limited.endpoint,
        clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } },
      });
      opened.push(s);
      await s.verifyingKey();
      const err = await buildFails(s);
      expect(err.code).toBe('AccessDenied');
      expect(err.message).toContain('kms:Sign');
      expectNoSecret(err);
    } finally {
      await limited.close();
    }
  });

  it('a region the endpoint does not serve -> AccessDenied (credential scope), not a crash', async () => {
    const err = await buildFails(signer({ region: 'ap-south-1' }));
    expect(err.code).toBe('AccessDenied');
  });

  it('an unreachable endpoint -> Unavailable, retryable', async () => {
    const closed = await startAwsKms();
    const endpoint = closed.endpoint;
    await closed.close();
    const err = await buildFails(signer({ endpoint, maxAttempts: 1 }));
    expect(err).toMatchObject({ code: 'Unavailable', retryable: true });
  });

  it('the signer itself never shows its credentials when logged or serialized', () => {
    const s = signer();
    expect(inspect(s, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(s))).toEqual({ provider: 'aws-kms', keyId: 'alias/a1-root' });
  });
});

describe('AwsKmsSigner: bad options and input', () => {
  function refused(make: () => unknown): SignerError {
    try {
      make();
    } catch (err) {
      expect(err).toBeInstanceOf(SignerError);
      expect((err as SignerError).code).toBe('Misconfigured');
      return err as SignerError;
    }
    throw new Error('expected the options to be refused');
  }

  it('refuses a missing or malformed keyId, bad timeouts and attempts, and ambiguous client options', () => {
    expect(refused(() => new AwsKmsSigner({} as AwsKmsSignerOptions)).message).toContain('keyId');
    expect(refused(() => new AwsKmsSigner({ keyId: 'root' })).message).toContain('keyId (not shown) is not a KMS key id, key ARN, alias/name or alias ARN: a key id is a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab; an alias name starts with alias/');
    expect(refused(() => new AwsKmsSigner({ keyId: 'alias/x', timeoutMs: 0 })).message).toContain('timeoutMs');
    expect(refused(() => new AwsKmsSigner({ keyId: 'alias/x', maxAttempts: 0 })).message).toContain('maxAttempts');
    const client = new KMSClient({ region: 'us-east-1' });
    expect(refused(() => new AwsKmsSigner({ keyId: 'alias/x', client, endpoint: 'http://127.0.0.1:1' })).message).toContain('endpoint');
    client.destroy();
  });

  it('refuses messages KMS cannot sign raw, before any call', async () => {
    const s = signer();
    await expect(s.signMessage(new Uint8Array(0))).rejects.toMatchObject({ code: 'BackendError', retryable: false });
    await expect(s.signMessage(new Uint8Array(4097))).rejects.toMatchObject({ code: 'BackendError' });
    await expect(s.signMessage('hello' as unknown as Uint8Array)).rejects.toBeInstanceOf(SignerError);
    expect(kms.calls.snapshot()).toEqual({});
  });

  it('refuses use after close()', async () => {
    const s = signer();
    await s.close();
    await expect(s.verifyingKey()).rejects.toMatchObject({ code: 'Misconfigured' });
  });
});
