/**
 * Throttling the way Key Vault meters it: a quota per time window, 429 with Retry-After for every
 * call over it until the window ends. The SDK's own retries are off (the signer's default), so what is
 * tested is the signer's deadline: it rides out a short window, gives up on a window longer than its deadline
 * (retryable Throttled, naming the throttle), stops at once on the caller's signal, and never
 * emits a cert when it gives up.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { CertBuilder, LocalSigner, SignerError, intentHash, verifyCertSignature, type DelegationCert } from '@a1/core';
import type { AzureKeyVaultEmulator } from '@a1/emulators';
import { emulatorClientOptions, rejection, signerFor, startVault } from './fixtures.js';

const now = () => BigInt(Math.floor(Date.now() / 1000));
const builder = () => new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('x'), issuedAt: now(), expirationUnix: now() + 60n });

describe('AzureKeyVaultSigner under a time-based Key Vault quota', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startVault();
    emu.createKey('root');
  });
  afterAll(() => emu.close());
  afterEach(() => emu.faults.clear());

  const noSdkRetries = () => emulatorClientOptions(emu);

  it('rides out a throttle window of a few seconds within its deadline, honouring Retry-After', async () => {
    const signer = signerFor(emu, 'root', { clientOptions: noSdkRetries(), retryDeadlineMs: 30_000 });
    await signer.verifyingKey();
    emu.faults.quota({ operation: 'Sign', limit: 1, windowMs: 3_000 });
    await signer.signMessage(new Uint8Array(32)); // uses the window's one slot
    const start = emu.history.length;
    const cert = await builder().buildAsync(signer);
    expect(verifyCertSignature(cert)).toBe(true);
    const signs = emu.history.slice(start).filter((r) => r.operation === 'Sign').map((r) => r.status);
    // Throttled first; the retry came after the window ended, so it was not throttled again.
    expect(signs[0]).toBe(429);
    expect(signs.at(-1)).toBe(200);
    expect(signs.filter((s) => s === 429).length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('a window longer than the deadline ends in a retryable Throttled error naming the throttle, and no cert', async () => {
    const signer = signerFor(emu, 'root', { clientOptions: noSdkRetries(), retryDeadlineMs: 2_000 });
    await signer.verifyingKey();
    emu.faults.quota({ operation: 'Sign', limit: 0, windowMs: 120_000 });
    let cert: DelegationCert | undefined;
    const error = (await rejection(builder().buildAsync(signer).then((c) => (cert = c)))) as SignerError;
    expect(cert).toBeUndefined();
    expect(error).toBeInstanceOf(SignerError);
    expect(error.code).toBe('Throttled');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/throttled/i);
    expect(error.message).toContain('Retry-After');
    expect(error.message).toContain('retryDeadlineMs');
  });

  it('never waits past the caller signal', async () => {
    const signer = signerFor(emu, 'root', { clientOptions: noSdkRetries(), retryDeadlineMs: 300_000 });
    await signer.verifyingKey();
    emu.faults.quota({ operation: 'Sign', limit: 0, windowMs: 120_000 });
    const controller = new AbortController();
    const start = emu.history.length;
    const signing = rejection(signer.signMessage(new Uint8Array(32), { signal: controller.signal }));
    // Abort only once the signer is waiting out the 120-second Retry-After.
    while (!emu.history.slice(start).some((r) => r.operation === 'Sign' && r.status === 429)) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = (await signing) as SignerError;
    expect(error.code).toBe('Aborted');
  });
});
