/**
 * `health()`: a readiness probe that never signs and never throws for a backend fault — one
 * DescribeKey through the real SDK against the emulator, for every fault class and key state.
 */
import { startAwsKms, type AwsKeyState, type AwsKmsEmulator, type Fault } from '@a1/emulators';
import { findSecretLeaks } from '@a1/signer-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsKmsSigner, type AwsKmsSignerOptions, type SignerHealth } from '../src/index.js';

const SECRET = 'signer-aws-health-secret-91c2';
let kms: AwsKmsEmulator;
const opened: AwsKmsSigner[] = [];

function signer(overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
  const s = new AwsKmsSigner({
    keyId: 'alias/a1-root',
    endpoint: kms.endpoint,
    region: kms.region,
    clientConfig: { credentials: { accessKeyId: 'AKIAHEALTHTEST000001', secretAccessKey: SECRET } },
    ...overrides,
  });
  opened.push(s);
  return s;
}

function expectShape(h: SignerHealth, ok: boolean, detail: RegExp): void {
  expect(h.ok).toBe(ok);
  expect(h.keyId).not.toBe('');
  expect(h.latencyMs).toBeGreaterThanOrEqual(0);
  expect(h.detail).toMatch(detail);
  expect(findSecretLeaks(h, [SECRET])).toEqual([]);
}

beforeAll(async () => {
  kms = await startAwsKms({
    credentials: [
      { accessKeyId: 'AKIAHEALTHTEST000001', secretAccessKey: SECRET },
      { accessKeyId: 'AKIAHEALTHNODESCRIBE', secretAccessKey: 'no-describe-secret', allow: ['kms:Sign', 'kms:GetPublicKey'] },
    ],
    keys: [{ alias: 'alias/a1-root' }, { keySpec: 'ECC_NIST_P256', alias: 'alias/p256' }],
  });
});
afterEach(async () => {
  kms.faults.clear();
  kms.calls.reset();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await kms?.close();
});

describe('AwsKmsSigner.health()', () => {
  it('ok on a working key, with DescribeKey (and GetPublicKey before first use) and no signing', async () => {
    const s = signer();
    const h = await s.health();
    expectShape(h, true, /Enabled Ed25519 signing key/);
    expect(h.keyId).toBe('alias/a1-root');
    expect(kms.calls.snapshot()).toEqual({ DescribeKey: 1, GetPublicKey: 1 });
    await s.verifyingKey();
    kms.calls.reset();
    expectShape(await s.health(), true, /Enabled/);
    expect(kms.calls.snapshot()).toEqual({ DescribeKey: 1 });
  });

  it('ok: false before first use when the public key cannot be read', async () => {
    kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'GetPublicKey' });
    expectShape(await signer().health(), false, /^InvalidResponse: .*SubjectPublicKeyInfo/);
  });

  it.each([
    ['throttle', { kind: 'throttle' }, /^Throttled: .*ThrottlingException/],
    ['unavailable', { kind: 'unavailable' }, /^Unavailable: /],
    ['truncated body', { kind: 'truncated-body' }, /^(InvalidResponse|Unavailable): /],
  ] as const)('ok: false on %s, without retrying', async (_name, fault, detail) => {
    kms.faults.inject({ fault: fault as Fault, operation: 'DescribeKey' });
    expectShape(await signer().health(), false, detail);
    expect(kms.calls.get('DescribeKey')).toBe(1);
  });

  it('ok: false on a hang, once timeoutMs passes', async () => {
    kms.faults.inject({ fault: { kind: 'hang' }, operation: 'DescribeKey' });
    expectShape(await signer({ timeoutMs: 300 }).health(), false, /^Timeout: .*300 ms/);
  });

  it('ok: false when unreachable', async () => {
    expectShape(await signer({ endpoint: 'http://127.0.0.1:1' }).health(), false, /^Unavailable: /);
  });

  it('ok: false for rejected credentials, a missing key, a missing permission', async () => {
    const wrongSecret = signer({ clientConfig: { credentials: { accessKeyId: 'AKIAHEALTHTEST000001', secretAccessKey: 'wrong-secret-value' } } });
    expectShape(await wrongSecret.health(), false, /^AccessDenied: /);
    expectShape(await signer({ keyId: 'alias/none' }).health(), false, /^KeyNotFound: /);
    const noDescribe = signer({ clientConfig: { credentials: { accessKeyId: 'AKIAHEALTHNODESCRIBE', secretAccessKey: 'no-describe-secret' } } });
    expectShape(await noDescribe.health(), false, /^AccessDenied: .*needs kms:DescribeKey/);
  });

  it('ok: false for a key of the wrong type', async () => {
    expectShape(await signer({ keyId: 'alias/p256' }).health(), false, /^WrongKeyType: .*ECC_NIST_P256/);
  });

  it.each(['Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Creating'] as const)('ok: false for a key that is %s, naming the state', async (state) => {
    const key = kms.createKey();
    kms.setKeyState(key.keyId, state as AwsKeyState);
    expectShape(await signer({ keyId: key.keyId }).health(), false, new RegExp(`is ${state}`));
  });

  it('ok: false when the alias now names another key than the pinned one', async () => {
    const first = kms.createKey({ alias: 'alias/health-moving' });
    const s = signer({ keyId: 'alias/health-moving' });
    await s.verifyingKey();
    kms.updateAlias('alias/health-moving', kms.createKey().keyId);
    expectShape(await s.health(), false, new RegExp(`not the pinned ${first.arn}`));
  });

  it('ok: false (not a throw) after close() and on an aborted signal', async () => {
    const closed = signer();
    await closed.close();
    expectShape(await closed.health(), false, /^Misconfigured: .*closed/);
    const controller = new AbortController();
    controller.abort();
    expectShape(await signer().health({ signal: controller.signal }), false, /^Aborted: /);
  });
});
