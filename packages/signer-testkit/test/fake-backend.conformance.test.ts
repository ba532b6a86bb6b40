/**
 * The whole suite, every option on, against a well-behaved signer for an in-process backend:
 * what a signer package's conformance test looks like.
 */
import { describeSignerConformance } from '../src/index.js';
import { fixture, TOKEN } from './support/fixture.js';

const { backend, signer } = fixture();

describeSignerConformance('fake-kms', {
  create: () => signer(),
  publicKeyFetches: () => backend.calls('GetPublicKey'),
  wrongKeyType: { create: async () => signer([], { keyName: 'p256-root' }), keyName: 'p256-root' },
  faults: {
    throttled: { arrange: () => backend.inject('throttle', { operation: 'Sign', times: 1 }), expect: { code: 'Throttled', retryable: true } },
    'service unavailable': { arrange: () => backend.inject('unavailable', { operation: 'Sign' }), cleanup: () => backend.clear(), expect: { code: 'Unavailable', retryable: true } },
    'hang past the client timeout': {
      create: async () => signer([], { timeoutMs: 200 }),
      arrange: () => backend.inject('hang', { operation: 'Sign' }),
      cleanup: () => backend.clear(),
      expect: { code: 'Timeout', retryable: true },
    },
    'caller aborts mid-call': {
      arrange: () => backend.inject('hang', { operation: 'Sign' }),
      cleanup: () => backend.clear(),
      signal: () => AbortSignal.timeout(100),
      expect: { code: 'Aborted', retryable: false },
    },
    'garbage signature': { arrange: () => backend.inject('garbage-signature', { times: 1 }), expect: { code: 'SignatureMismatch', retryable: false } },
    'wrong-key signature': { arrange: () => backend.inject('wrong-key-signature', { times: 1 }), expect: { code: 'SignatureMismatch', retryable: false } },
    'truncated signature': { arrange: () => backend.inject('truncated', { operation: 'Sign', times: 1 }), expect: { code: 'InvalidResponse', retryable: true } },
    'truncated public key': {
      phase: 'first-use',
      arrange: () => backend.inject('truncated', { operation: 'GetPublicKey', times: 1 }),
      expect: { code: 'InvalidResponse', retryable: true },
    },
    'bad credentials': {
      phase: 'first-use',
      create: async () => signer([], { token: 'tok-wrong-88d1c0' }),
      arrange: () => {},
      expect: { code: 'AccessDenied', retryable: false },
    },
    'missing key': {
      phase: 'first-use',
      create: async () => signer([], { keyName: 'no-such-key' }),
      arrange: () => {},
      expect: { code: 'KeyNotFound', retryable: false },
    },
  },
  secrets: [TOKEN, 'tok-wrong-88d1c0', backend.keys.get('root')!.seed],
  concurrency: 50,
});

