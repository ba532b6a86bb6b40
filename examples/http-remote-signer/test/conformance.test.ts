/**
 * The whole A1 signer contract, checked by @a1/signer-testkit against the real client talking to
 * the real service over a socket: public key fetched once, signatures, concurrency, certs and
 * passports that verify, abort, a wrong key type refused, every fault a SignerError with no cert,
 * and the token never leaking.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeSignerConformance } from '@a1/signer-testkit';
import { HttpRemoteSigner, type HttpRemoteSignerOptions } from '../src/index.js';
import { startKeyServer, type KeyServer, type ServerFault } from '../src/key-server.js';

const TOKEN = 'tok-http-3f9c2a7e51';
const WRONG_TOKEN = 'tok-wrong-8d1e44b0';

let service: KeyServer;
beforeAll(async () => {
  service = await startKeyServer({ token: TOKEN });
  service.createKey('a1-root', 'ed25519');
  service.createKey('p256-root', 'ecdsa-p256');
});
afterAll(() => service.close());

const signer = (options: Partial<HttpRemoteSignerOptions> = {}) =>
  // Generous: a loaded machine answers 100 concurrent signs slowly. "no answer" sets its own 300 ms.
  new HttpRemoteSigner({ url: service.url, keyName: 'a1-root', token: TOKEN, timeoutMs: 30_000, ...options });

/** A fault the service answers to the next sign; `clear` undoes whatever was not consumed. */
const onSign = (fault: ServerFault, expect: { code: 'Throttled' | 'Unavailable' | 'SignatureMismatch' | 'InvalidResponse' | 'Timeout'; retryable: boolean }, options: Partial<HttpRemoteSignerOptions> = {}) => ({
  create: () => signer(options),
  arrange: () => service.faults.inject(fault),
  cleanup: () => service.faults.clear(),
  expect,
});

describeSignerConformance('http-remote', {
  create: () => signer(),
  publicKeyFetches: () => service.calls.getKey,
  wrongKeyType: { create: () => signer({ keyName: 'p256-root' }), keyName: 'p256-root' },
  faults: {
    'throttled (429)': onSign('throttle', { code: 'Throttled', retryable: true }),
    'service unavailable (503)': onSign('unavailable', { code: 'Unavailable', retryable: true }),
    'garbage signature': onSign('garbage-signature', { code: 'SignatureMismatch', retryable: false }),
    'signature by another key': onSign('wrong-key-signature', { code: 'SignatureMismatch', retryable: false }),
    'truncated signature': onSign('truncated-signature', { code: 'InvalidResponse', retryable: true }),
    'no answer': onSign('hang', { code: 'Timeout', retryable: true }, { timeoutMs: 300 }),
    'key read unavailable at first use': {
      phase: 'first-use',
      arrange: () => service.faults.inject('unavailable', { operation: 'getKey' }),
      cleanup: () => service.faults.clear(),
      expect: { code: 'Unavailable', retryable: true },
    },
    'rejected token': { phase: 'first-use', create: () => signer({ token: WRONG_TOKEN }), arrange: () => {}, expect: { code: 'AccessDenied', retryable: false } },
    'missing key': { phase: 'first-use', create: () => signer({ keyName: 'no-such-key' }), arrange: () => {}, expect: { code: 'KeyNotFound', retryable: false } },
    'service down': {
      phase: 'first-use',
      create: () => signer({ url: 'http://127.0.0.1:9' }),
      arrange: () => {},
      expect: { code: 'Unavailable', retryable: true, cause: true },
    },
  },
  secrets: [TOKEN, WRONG_TOKEN],
});
