/**
 * `health()`: a readiness probe that never signs and never throws for a backend fault — one
 * GetCryptoKeyVersion through the real client against the emulator, for every fault class,
 * version state, IAM denial and a project whose API is off.
 */
import type { Fault } from '@a1/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SignerHealth } from '../src/index.js';
import { startFixture, type Fixture } from './helpers.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});
beforeEach(() => {
  fx.emulator.faults.clear();
  fx.emulator.calls.reset();
  fx.emulator.access.clear();
});

function expectShape(h: SignerHealth, ok: boolean, detail: RegExp): void {
  expect(h.ok).toBe(ok);
  expect(h.keyId).toMatch(/^projects\//);
  expect(h.latencyMs).toBeGreaterThanOrEqual(0);
  expect(h.detail).toMatch(detail);
}

describe('GcpKmsSigner.health()', () => {
  it('ok on a working key, with GetCryptoKeyVersion (and GetPublicKey before first use) and no signing', async () => {
    const signer = fx.signer();
    expectShape(await signer.health(), true, /ENABLED and EC_SIGN_ED25519/);
    expect(fx.emulator.calls.snapshot()).toEqual({ GetCryptoKeyVersion: 1, GetPublicKey: 1 });
    await signer.verifyingKey();
    fx.emulator.calls.reset();
    expectShape(await signer.health(), true, /ENABLED/);
    expect(fx.emulator.calls.snapshot()).toEqual({ GetCryptoKeyVersion: 1 });
  });

  it('ok: false before first use when the public key cannot be read', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'GetPublicKey' });
    expectShape(await fx.signer().health(), false, /^InvalidResponse: .*pemCrc32c/);
  });

  it.each([
    ['throttle', { kind: 'throttle' }, /^Throttled: .*RESOURCE_EXHAUSTED/],
    ['unavailable', { kind: 'unavailable' }, /^Unavailable: .*UNAVAILABLE/],
  ] as const)('ok: false on %s, without retrying', async (_name, fault, detail) => {
    fx.emulator.faults.inject({ fault: fault as Fault, operation: 'GetCryptoKeyVersion' });
    expectShape(await fx.signer().health(), false, detail);
    expect(fx.emulator.calls.get('GetCryptoKeyVersion')).toBe(1);
  });

  it('ok: false on a hang, once timeoutMs passes', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'hang' }, operation: 'GetCryptoKeyVersion' });
    expectShape(await fx.signer({ timeoutMs: 300 }).health(), false, /^Timeout: /);
  });

  it('ok: false when unreachable', async () => {
    expectShape(await fx.signer({ endpoint: 'http://127.0.0.1:1', timeoutMs: 5_000 }).health(), false, /^(Unavailable|Timeout): /);
  });

  it('ok: false for a missing version, a key without access, a project whose API is off', async () => {
    expectShape(await fx.signer({ name: fx.ed25519.name.replace(/\/1$/, '/99') }).health(), false, /^KeyNotFound: /);
    fx.emulator.access.allowOnly(['projects/someone-else']);
    expectShape(await fx.signer().health(), false, /^AccessDenied: .*or it may not exist.*needs cloudkms\.cryptoKeyVersions\.get/);
    fx.emulator.access.clear();
    const key = fx.emulator.createKey({ project: 'health-api-off', key: 'k' });
    fx.emulator.access.setApiEnabled('health-api-off', false);
    expectShape(await fx.signer({ name: key.name }).health(), false, /^Misconfigured: .*API is not enabled/);
  });

  it('ok: false for a key of the wrong type', async () => {
    expectShape(await fx.signer({ name: fx.p256.name }).health(), false, /^WrongKeyType: .*EC_SIGN_P256_SHA256/);
  });

  it.each(['PENDING_GENERATION', 'DISABLED', 'DESTROY_SCHEDULED', 'DESTROYED'] as const)('ok: false for a %s version, naming the state', async (state) => {
    const key = fx.emulator.createKey({ key: `health-${state.toLowerCase().replace(/_/g, '-')}` });
    fx.emulator.setVersionState(key.name, state);
    expectShape(await fx.signer({ name: key.name }).health(), false, new RegExp(`version is ${state}`));
  });

  it('ok: false (not a throw) on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    expectShape(await fx.signer().health({ signal: controller.signal }), false, /^Aborted: /);
  });
});
