/**
 * health() on every fault class: it answers { ok, latencyMs, keyId, detail }, never throws for a
 * backend fault, never signs, and never shows a secret.
 */
import type { VaultTransitEmulator } from '@a1/emulators';
import { assertNoSecrets } from '@a1/signer-testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { startVault, tokenSigner } from './support.js';

let vault: VaultTransitEmulator;
beforeEach(async () => {
  vault = await startVault();
  vault.createKey({ name: 'a1-root' });
  vault.createKey({ name: 'p256', type: 'ecdsa-p256' });
  vault.createKey({ name: 'derived', derived: true });
});
afterEach(() => vault.close());

describe('VaultTransitSigner.health()', () => {
  it('a working key: ok, with the key id and a latency, and no sign call', async () => {
    const signer = tokenSigner(vault);
    const health = await signer.health();
    expect(health).toMatchObject({ ok: true, keyId: 'transit/keys/a1-root' });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.detail).toMatch(/key version 1 is an ed25519 signing key/);
    expect(vault.calls.get('Sign')).toBe(0);
    await signer.close();
  });

  const cases: Array<{ name: string; code: string; arrange?: () => void; signer?: () => VaultTransitSigner }> = [
    { name: 'Vault sealed (503)', code: 'Unavailable', arrange: () => void vault.faults.inject({ fault: { kind: 'unavailable' }, operation: 'ReadKey' }) },
    { name: 'rate limited (429)', code: 'Throttled', arrange: () => void vault.faults.quota({ operation: 'ReadKey', limit: 0, windowMs: 60_000 }) },
    { name: 'hung', code: 'Timeout', arrange: () => void vault.faults.inject({ fault: { kind: 'hang' }, operation: 'ReadKey' }), signer: () => tokenSigner(vault, { timeoutMs: 200 }) },
    { name: 'truncated answer', code: 'Unavailable', arrange: () => void vault.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'ReadKey' }) },
    { name: 'internal error (500)', code: 'Unavailable', arrange: () => vault.injectStatus({ status: 500, operation: 'ReadKey' }) },
    { name: 'token rejected (403)', code: 'AccessDenied', signer: () => tokenSigner(vault, { token: 'hvs.not-a-token-4711' }) },
    { name: 'AppRole login refused', code: 'AccessDenied', signer: () => new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId: 'nope', secretId: 'wrong-secret-id-99' }) },
    { name: 'missing key (404)', code: 'KeyNotFound', signer: () => tokenSigner(vault, { keyName: 'absent' }) },
    { name: 'not an ed25519 key', code: 'WrongKeyType', signer: () => tokenSigner(vault, { keyName: 'p256' }) },
    { name: 'derived key', code: 'WrongKeyType', signer: () => tokenSigner(vault, { keyName: 'derived' }) },
    { name: 'unreachable', code: 'Unavailable', signer: () => tokenSigner(vault, { endpoint: 'http://127.0.0.1:1' }) },
  ];
  for (const c of cases) {
    it(`${c.name}: ok false, ${c.code}, never a throw`, async () => {
      const signer = c.signer?.() ?? tokenSigner(vault);
      c.arrange?.();
      const health = await signer.health();
      expect(health.ok).toBe(false);
      expect(health.detail.startsWith(`${c.code}: `)).toBe(true);
      expect(typeof health.keyId).toBe('string');
      assertNoSecrets(c.name, health, [vault.rootToken, 'hvs.not-a-token-4711', 'wrong-secret-id-99']);
      expect(vault.calls.get('Sign')).toBe(0);
      vault.faults.clear();
      await signer.close();
    });
  }

  it('a closed signer: ok false, Misconfigured', async () => {
    const signer = tokenSigner(vault);
    await signer.close();
    expect(await signer.health()).toMatchObject({ ok: false, detail: expect.stringMatching(/^Misconfigured: /) });
  });
});
