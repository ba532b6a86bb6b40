/**
 * The shared A1 signer conformance suite, run against AzureKeyVaultSigner on the real Azure SDK
 * and the Key Vault emulator: one key read per signer, concurrency, the EC key refused, and
 * every fault the emulator injects ending in the right SignerError with no cert.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeSignerConformance } from '@a1/signer-testkit';
import type { AzureKeyVaultEmulator } from '@a1/emulators';
import { startAzureKeyVault } from '@a1/emulators';
import { signerFor } from './fixtures.js';

const READER_TOKEN = 'reader-token-c0ffee42';
const FOREIGN_TOKEN = 'foreign-token-9d1e77';
const VAULT_TOKEN = 'vault-token-5a17e3b9';

let emu: AzureKeyVaultEmulator;
beforeAll(async () => {
  emu = await startAzureKeyVault({ token: VAULT_TOKEN });
  emu.createKey('root');
  emu.createKey({ name: 'ec-p256', kty: 'EC' });
  emu.grant(READER_TOKEN, ['get']);
});
afterAll(() => emu.close());

const clearFaults = () => emu.faults.clear();

describeSignerConformance('AzureKeyVaultSigner (Key Vault emulator)', {
  create: () => signerFor(emu, 'root'),
  publicKeyFetches: () => emu.history.filter((r) => r.operation === 'GetKey' && r.key === 'root').length,
  wrongKeyType: { create: () => signerFor(emu, 'ec-p256'), keyName: 'ec-p256' },
  secrets: [VAULT_TOKEN, READER_TOKEN, FOREIGN_TOKEN],
  faults: {
    'throttle window longer than the retry deadline (429 + Retry-After)': {
      create: () => signerFor(emu, 'root', { retryDeadlineMs: 1_000 }),
      arrange: () => void emu.faults.quota({ operation: 'Sign', limit: 0, windowMs: 600_000 }),
      cleanup: clearFaults,
      expect: { code: 'Throttled', retryable: true },
    },
    'unavailable (503)': {
      arrange: () => void emu.faults.inject({ operation: 'Sign', fault: { kind: 'unavailable' } }),
      cleanup: clearFaults,
      expect: { code: 'Unavailable', retryable: true },
    },
    'hang until the client timeout': {
      create: () => signerFor(emu, 'root', { timeoutMs: 400 }),
      arrange: () => void emu.faults.inject({ operation: 'Sign', fault: { kind: 'hang' } }),
      cleanup: clearFaults,
      expect: { code: 'Timeout', retryable: true },
    },
    'caller abort during a hang': {
      arrange: () => void emu.faults.inject({ operation: 'Sign', fault: { kind: 'hang' } }),
      cleanup: clearFaults,
      signal: () => AbortSignal.timeout(100),
      expect: { code: 'Aborted', retryable: false },
    },
    'garbage signature': {
      arrange: () => void emu.faults.inject({ operation: 'Sign', fault: { kind: 'garbage-signature' } }),
      cleanup: clearFaults,
      expect: { code: 'SignatureMismatch', retryable: false },
    },
    'signature by another key': {
      arrange: () => void emu.faults.inject({ operation: 'Sign', fault: { kind: 'wrong-key-signature' } }),
      cleanup: clearFaults,
      expect: { code: 'SignatureMismatch', retryable: false },
    },
    'truncated body': {
      arrange: () => void emu.faults.inject({ operation: 'Sign', fault: { kind: 'truncated-body' } }),
      cleanup: clearFaults,
      expect: { code: 'InvalidResponse', retryable: true },
    },
    'token without the sign permission (403)': {
      create: () => signerFor(emu, 'root', { credential: emu.credential(READER_TOKEN) }),
      arrange: () => undefined,
      expect: { code: 'AccessDenied', retryable: false },
    },
    'rejected token (401)': {
      create: () => signerFor(emu, 'root', { credential: emu.credential(FOREIGN_TOKEN) }),
      phase: 'first-use',
      arrange: () => undefined,
      expect: { code: 'AccessDenied', retryable: false },
    },
    'missing key (404)': {
      create: () => signerFor(emu, 'no-such-key'),
      phase: 'first-use',
      arrange: () => undefined,
      expect: { code: 'KeyNotFound', retryable: false },
    },
    'key read unavailable on first use': {
      phase: 'first-use',
      arrange: () => void emu.faults.inject({ operation: 'GetKey', fault: { kind: 'unavailable' } }),
      cleanup: clearFaults,
      expect: { code: 'Unavailable', retryable: true },
    },
  },
});
