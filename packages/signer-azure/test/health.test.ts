/**
 * health() on every fault class: it answers { ok, latencyMs, keyId, detail }, never throws for a
 * backend fault, never signs, and never shows a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureKeyVaultEmulator } from '@a1/emulators';
import { assertNoSecrets } from '@a1/signer-testkit';
import type { AzureKeyVaultSigner } from '../src/index.js';
import { emulatorClientOptions, signerFor, startVault } from './fixtures.js';

describe('AzureKeyVaultSigner.health()', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startVault();
    emu.createKey('root');
    emu.createKey({ name: 'ec', kty: 'EC' });
    emu.createKey({ name: 'off', enabled: false });
    emu.createKey({ name: 'expired', expires: Math.floor(Date.now() / 1000) - 60 });
    emu.grant('policy-only-read', [], { model: 'access-policy' });
  });
  afterAll(() => emu.close());

  it('a working key: ok, with the key id and a latency, and no sign call', async () => {
    emu.calls.reset();
    const health = await signerFor(emu, 'root').health();
    expect(health.ok).toBe(true);
    expect(health.keyId).toContain('/keys/root');
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.detail).toMatch(/enabled Ed25519 signing key/);
    expect(emu.calls.get('Sign')).toBe(0);
  });

  const cases: Array<{ name: string; code: string; arrange?: () => void; signer?: () => AzureKeyVaultSigner }> = [
    { name: 'service unavailable (503)', code: 'Unavailable', arrange: () => void emu.faults.inject({ operation: 'GetKey', fault: { kind: 'unavailable' } }) },
    { name: 'throttled (429)', code: 'Throttled', arrange: () => void emu.faults.quota({ operation: 'GetKey', limit: 0, windowMs: 60_000 }) },
    { name: 'hung', code: 'Timeout', arrange: () => void emu.faults.inject({ operation: 'GetKey', fault: { kind: 'hang' } }), signer: () => signerFor(emu, 'root', { timeoutMs: 300 }) },
    { name: 'truncated answer', code: 'InvalidResponse', arrange: () => void emu.faults.inject({ operation: 'GetKey', fault: { kind: 'truncated-body' } }) },
    { name: 'token rejected (401)', code: 'AccessDenied', signer: () => signerFor(emu, 'root', { credential: emu.credential('foreign-token-31337') }) },
    { name: 'access policy without get (403)', code: 'AccessDenied', signer: () => signerFor(emu, 'root', { credential: emu.credential('policy-only-read') }) },
    { name: 'firewall (403)', code: 'AccessDenied', arrange: () => emu.setNetworkAccess('deny') },
    { name: 'missing key (404)', code: 'KeyNotFound', signer: () => signerFor(emu, 'absent') },
    { name: 'EC key', code: 'WrongKeyType', signer: () => signerFor(emu, 'ec') },
    { name: 'disabled key', code: 'AccessDenied', signer: () => signerFor(emu, 'off') },
    { name: 'expired key', code: 'AccessDenied', signer: () => signerFor(emu, 'expired') },
    { name: "the SDK's default api-version", code: 'Misconfigured', signer: () => signerFor(emu, 'root', { serviceVersion: '2025-07-01' }) },
    { name: 'TLS not trusted', code: 'Misconfigured', signer: () => signerFor(emu, 'root', { clientOptions: emulatorClientOptions(emu, { tlsOptions: {} }) }) },
  ];
  for (const c of cases) {
    it(`${c.name}: ok false, ${c.code}, never a throw`, async () => {
      const signer = c.signer?.() ?? signerFor(emu, 'root');
      c.arrange?.();
      emu.calls.reset();
      try {
        const health = await signer.health();
        expect(health.ok).toBe(false);
        expect(health.detail.startsWith(`${c.code}: `), health.detail).toBe(true);
        assertNoSecrets(c.name, health, [emu.token, 'foreign-token-31337']);
        expect(emu.calls.get('Sign')).toBe(0);
      } finally {
        emu.faults.clear();
        emu.setNetworkAccess('allow');
      }
    });
  }
});
