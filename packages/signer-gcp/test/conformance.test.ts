/**
 * The shared A1 signer conformance suite, run against GcpKmsSigner, the real Cloud KMS client
 * and the emulator, with each fault class the emulator injects.
 */
import type { FaultRule } from '@a1/emulators';
import { describeSignerConformance, type SignerFault } from '@a1/signer-testkit';
import { afterAll, beforeAll } from 'vitest';
import { GcpKmsSigner, type GcpKmsSignerOptions } from '../src/index.js';
import { P256_NAME, startFixture, type Fixture } from './helpers.js';

// A service-account private key handed to the client; the emulator path never uses it, but
// it sits inside the client object, so it must not surface when the signer is logged.
const SA_PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nsa-key-9c2e7b41d0\n-----END PRIVATE KEY-----\n';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

function create(options: Partial<GcpKmsSignerOptions> = {}): GcpKmsSigner {
  return fx.signer({
    clientOptions: { credentials: { client_email: 'a1@example.iam.gserviceaccount.com', private_key: SA_PRIVATE_KEY } },
    ...options,
  });
}

/** A fault queued on the emulator for the test, cleared afterwards. */
function fault(rule: FaultRule, expectation: SignerFault['expect'], extra: Partial<SignerFault> = {}): SignerFault {
  return {
    arrange: () => {
      fx.emulator.faults.inject(rule);
    },
    cleanup: () => fx.emulator.faults.clear(),
    expect: expectation,
    ...extra,
  };
}

const fastRetries = () => create({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });

describeSignerConformance('gcp-kms', {
  create: () => create(),
  publicKeyFetches: () => fx.emulator.calls.get('GetPublicKey'),
  // The suite names its tests before beforeAll runs, so the P-256 key's name is spelled out here.
  wrongKeyType: { create: () => create({ name: P256_NAME }), keyName: P256_NAME },
  faults: {
    'throttled (RESOURCE_EXHAUSTED)': fault(
      { fault: { kind: 'throttle' }, operation: 'AsymmetricSign' },
      { code: 'Throttled', retryable: true },
      { create: fastRetries },
    ),
    'outage (UNAVAILABLE)': fault(
      { fault: { kind: 'unavailable' }, operation: 'AsymmetricSign' },
      { code: 'Unavailable', retryable: true },
      { create: fastRetries },
    ),
    'hang past the deadline': fault(
      { fault: { kind: 'hang' }, operation: 'AsymmetricSign' },
      { code: 'Timeout', retryable: true },
      { create: () => create({ timeoutMs: 300 }) },
    ),
    'garbage signature': fault(
      { fault: { kind: 'garbage-signature' }, operation: 'AsymmetricSign' },
      { code: 'SignatureMismatch', retryable: false },
    ),
    'wrong-key signature': fault(
      { fault: { kind: 'wrong-key-signature' }, operation: 'AsymmetricSign' },
      { code: 'SignatureMismatch', retryable: false },
    ),
    'corrupted signatureCrc32c': fault(
      { fault: { kind: 'corrupt-crc' }, operation: 'AsymmetricSign' },
      { code: 'InvalidResponse', retryable: true },
      { create: fastRetries },
    ),
    'truncated signature': fault(
      { fault: { kind: 'truncated-body' }, operation: 'AsymmetricSign' },
      { code: 'InvalidResponse', retryable: true },
      { create: fastRetries },
    ),
    'corrupted pemCrc32c at first use': fault(
      { fault: { kind: 'corrupt-crc' }, operation: 'GetPublicKey' },
      { code: 'InvalidResponse', retryable: true },
      { create: fastRetries, phase: 'first-use' },
    ),
    'truncated PEM at first use': fault(
      { fault: { kind: 'truncated-body' }, operation: 'GetPublicKey' },
      { code: 'InvalidResponse', retryable: true },
      { create: fastRetries, phase: 'first-use' },
    ),
    'missing key version (NOT_FOUND)': {
      arrange: () => undefined,
      create: () => create({ name: fx.ed25519.name.replace(/\/1$/, '/404') }),
      phase: 'first-use',
      expect: { code: 'KeyNotFound', retryable: false },
    },
    'abort mid-call': fault(
      { fault: { kind: 'hang' }, operation: 'AsymmetricSign' },
      { code: 'Aborted', retryable: false },
      { signal: () => AbortSignal.timeout(100) },
    ),
  },
  secrets: [SA_PRIVATE_KEY.split('\n')[1]!],
});
