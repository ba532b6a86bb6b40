/**
 * The shared A1 signer conformance suite, run against AwsKmsSigner + the AWS KMS emulator with
 * the real SDK client: a P-256 key for the wrong-key-type check and every fault class the
 * emulator injects.
 */
import { startAwsKms, type AwsKmsEmulator } from '@a1/emulators';
import { describeSignerConformance } from '@a1/signer-testkit';
import { afterAll, beforeAll } from 'vitest';
import { AwsKmsSigner, type AwsKmsSignerOptions } from '../src/index.js';

const ACCESS_KEY = 'AKIACONFORMANCE00001';
const SECRET = 'conformance-secret-9b2f7c4e1a';
const WRONG_SECRET = 'conformance-wrong-secret-6d3e0f';

let kms: AwsKmsEmulator;

beforeAll(async () => {
  kms = await startAwsKms({
    credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET }],
    keys: [
      { alias: 'alias/conformance' },
      { alias: 'alias/conformance-p256', keySpec: 'ECC_NIST_P256' },
      { alias: 'alias/conformance-disabled' },
    ],
  });
});

afterAll(async () => {
  await kms.close();
});

function signer(overrides: Partial<AwsKmsSignerOptions> = {}): AwsKmsSigner {
  return new AwsKmsSigner({
    keyId: 'alias/conformance',
    region: kms.region,
    endpoint: kms.endpoint,
    clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } },
    ...overrides,
  });
}

const clearFaults = () => kms.faults.clear();

describeSignerConformance('AwsKmsSigner', {
  create: () => signer(),
  publicKeyFetches: () => kms.calls.get('GetPublicKey'),
  wrongKeyType: { create: () => signer({ keyId: 'alias/conformance-p256' }), keyName: 'alias/conformance-p256' },
  faults: {
    'throttled past the SDK retries': {
      create: () => signer({ maxAttempts: 2 }),
      arrange: () => void kms.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign' }),
      cleanup: clearFaults,
      expect: { code: 'Throttled', retryable: true },
    },
    '5xx outage': {
      create: () => signer({ maxAttempts: 1 }),
      arrange: () => void kms.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign' }),
      cleanup: clearFaults,
      expect: { code: 'Unavailable', retryable: true },
    },
    'hang past the timeout': {
      create: () => signer({ timeoutMs: 500, maxAttempts: 1 }),
      arrange: () => void kms.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' }),
      cleanup: clearFaults,
      expect: { code: 'Timeout', retryable: true },
      timeoutMs: 5_000,
    },
    'garbage signature': {
      arrange: () => void kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'Sign' }),
      cleanup: clearFaults,
      expect: { code: 'SignatureMismatch', retryable: false },
    },
    'wrong-key signature': {
      arrange: () => void kms.faults.inject({ fault: { kind: 'wrong-key-signature' }, operation: 'Sign' }),
      cleanup: clearFaults,
      expect: { code: 'SignatureMismatch', retryable: false },
    },
    'truncated body': {
      create: () => signer({ maxAttempts: 1 }),
      arrange: () => void kms.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'Sign' }),
      cleanup: clearFaults,
      expect: { code: 'InvalidResponse', retryable: true },
    },
    'garbage public key': {
      phase: 'first-use',
      arrange: () => void kms.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'GetPublicKey' }),
      cleanup: clearFaults,
      expect: { code: 'InvalidResponse', retryable: true },
    },
    'caller abort during a hang': {
      arrange: () => void kms.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' }),
      cleanup: clearFaults,
      signal: () => AbortSignal.timeout(100),
      expect: { code: 'Aborted', retryable: false },
    },
    'wrong secret access key': {
      phase: 'first-use',
      create: () => signer({ clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: WRONG_SECRET } } }),
      arrange: () => {},
      expect: { code: 'AccessDenied', retryable: false },
    },
    'missing key': {
      phase: 'first-use',
      create: () => signer({ keyId: 'alias/conformance-missing' }),
      arrange: () => {},
      expect: { code: 'KeyNotFound', retryable: false },
    },
    'key disabled after first use': {
      create: () => signer({ keyId: 'alias/conformance-disabled' }),
      arrange: () => kms.setKeyState('alias/conformance-disabled', 'Disabled'),
      cleanup: () => kms.setKeyState('alias/conformance-disabled', 'Enabled'),
      expect: { code: 'BackendError', retryable: false },
    },
  },
  secrets: [SECRET, WRONG_SECRET],
});
