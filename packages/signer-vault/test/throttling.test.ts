/**
 * Vault rate-limit quotas count per interval: over the limit, every call in the interval is 429
 * (with Retry-After when `enable_rate_limit_response_headers` is on) until it ends. The signer
 * rides out a window of a few seconds within its deadline, gives up on a longer one with a
 * retryable Throttled that names the throttle, never waits past the caller's signal, and never
 * emits a cert when it gives up.
 */
import { SignerError, type DelegationCert } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCert, rejection, startVault, tokenSigner, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
let publicKey: Uint8Array;
beforeEach(async () => {
  vault = await startVault({ rateLimitResponseHeaders: true });
  publicKey = vault.createKey({ name: 'a1-root' }).publicKey!;
});
afterEach(() => vault.close());

describe('VaultTransitSigner under a time-based rate-limit quota', () => {
  it('rides out a window of a few seconds, waiting for Retry-After instead of burning retries', async () => {
    const signer = tokenSigner(vault, { retryDeadlineMs: 30_000 });
    await signer.verifyingKey();
    vault.faults.quota({ operation: 'Sign', limit: 1, windowMs: 3_000 });
    await signer.signMessage(new Uint8Array(32)); // the window's one slot
    vault.calls.reset();
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, publicKey);
    // The first sign was throttled; the retry waited for Retry-After, so at most one more was throttled.
    expect(vault.calls.get('Sign')).toBeGreaterThanOrEqual(2);
    expect(vault.calls.get('Sign')).toBeLessThanOrEqual(3);
    await signer.close();
  }, 60_000);

  it('rides out a short window without Retry-After too (Vault default headers off), by jittered backoff', async () => {
    const bare = await startVault();
    try {
      const pk = bare.createKey({ name: 'a1-root' }).publicKey!;
      const signer = tokenSigner(bare, { retryDeadlineMs: 30_000, retryBaseDelayMs: 200 });
      await signer.verifyingKey();
      bare.faults.quota({ operation: 'Sign', limit: 1, windowMs: 2_000 });
      await signer.signMessage(new Uint8Array(32));
      const { cert, agent } = await issueCert(signer);
      await verifyCert(cert, agent, pk);
      await signer.close();
    } finally {
      await bare.close();
    }
  }, 60_000);

  it('a window longer than the deadline ends in a retryable Throttled naming the throttle, and no cert', async () => {
    const signer = tokenSigner(vault, { retryDeadlineMs: 2_000 });
    await signer.verifyingKey();
    vault.faults.quota({ operation: 'Sign', limit: 0, windowMs: 120_000 });
    let cert: DelegationCert | undefined;
    const error = (await rejection(issueCert(signer).then((issued) => (cert = issued.cert)))) as SignerError;
    expect(cert).toBeUndefined();
    expect(error).toBeInstanceOf(SignerError);
    expect(error).toMatchObject({ code: 'Throttled', retryable: true });
    expect(error.message).toContain('rate limit quota exceeded');
    expect(error.message).toContain('Retry-After: 120 s');
    expect(error.message).toContain('retryDeadlineMs');
    await signer.close();
  });

  it('never waits past the caller signal', async () => {
    const signer = tokenSigner(vault, { retryDeadlineMs: 300_000 });
    await signer.verifyingKey();
    vault.faults.quota({ operation: 'Sign', limit: 0, windowMs: 120_000 });
    const controller = new AbortController();
    const signing = rejection(signer.signMessage(new Uint8Array(32), { signal: controller.signal }));
    while (vault.calls.get('Sign') === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await signing).toMatchObject({ code: 'Aborted', retryable: false });
    await signer.close();
  });
});
