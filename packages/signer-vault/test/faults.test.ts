import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCert, rejection, startVault, tokenSigner, verifyCert } from './support.js';

let vault: VaultTransitEmulator;
let publicKey: Uint8Array;
beforeEach(async () => {
  vault = await startVault();
  publicKey = vault.createKey({ name: 'a1-root' }).publicKey!;
});
afterEach(async () => {
  await vault.close();
});

/** Builds one cert on a warmed-up signer; returns the SignerError (the test fails if a cert comes out). */
async function failedIssue(extra: Parameters<typeof tokenSigner>[1] = {}, signal?: AbortSignal): Promise<SignerError> {
  const signer = tokenSigner(vault, { maxRetries: 2, ...extra });
  await signer.verifyingKey();
  vault.calls.reset();
  const e = await rejection(issueCert(signer, signal ? { signal } : {}));
  expect(e).toBeInstanceOf(SignerError);
  expect((e as SignerError).provider).toBe('vault-transit');
  expect((e as SignerError).keyId).toBe('transit/keys/a1-root');
  await signer.close();
  return e as SignerError;
}

describe('faults become typed SignerErrors and no cert', () => {
  it('retries a short burst of 429 / 500 and then succeeds', async () => {
    // FaultPlan rules all hit the first matching call; the status fault is checked after them.
    vault.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign', times: 2 });
    vault.injectStatus({ status: 500, operation: 'Sign', times: 1 });
    const signer = tokenSigner(vault);
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, publicKey);
    expect(vault.calls.get('Sign')).toBe(4);
  });

  it('persistent 429 -> Throttled after 1 + maxRetries calls', async () => {
    vault.faults.inject({ fault: { kind: 'throttle', retryAfterSeconds: 1 }, operation: 'Sign' });
    const e = await failedIssue();
    expect(e).toMatchObject({ code: 'Throttled', retryable: true });
    expect(e.cause).toMatchObject({ status: 429 });
    expect(vault.calls.get('Sign')).toBe(3);
  });

  it('persistent 503 -> Unavailable', async () => {
    vault.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign' });
    const e = await failedIssue();
    expect(e).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(e.message).toMatch(/HTTP 503.*Vault is sealed/);
  });

  it('persistent 500 -> Unavailable', async () => {
    vault.injectStatus({ status: 500, errors: ['internal error'], operation: 'Sign' });
    expect(await failedIssue()).toMatchObject({ code: 'Unavailable', retryable: true });
  });

  it('a hung Vault -> Timeout', async () => {
    vault.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' });
    const e = await failedIssue({ timeoutMs: 150, maxRetries: 1 });
    expect(e).toMatchObject({ code: 'Timeout', retryable: true });
    expect(vault.calls.get('Sign')).toBe(2);
  });

  it('a truncated answer -> Unavailable', async () => {
    vault.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'Sign' });
    const e = await failedIssue();
    expect(e).toMatchObject({ code: 'Unavailable', retryable: true });
    expect(e.message).toMatch(/ECONNRESET|socket hang up/);
  });

  it('random signature bytes -> SignatureMismatch from CertBuilder', async () => {
    vault.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'Sign' });
    expect(await failedIssue()).toMatchObject({ code: 'SignatureMismatch' });
    expect(vault.calls.get('Sign')).toBe(1);
  });

  it('a signature by another key -> SignatureMismatch from CertBuilder', async () => {
    vault.faults.inject({ fault: { kind: 'wrong-key-signature' }, operation: 'Sign' });
    expect(await failedIssue()).toMatchObject({ code: 'SignatureMismatch' });
  });

  it('a malformed signature envelope -> InvalidResponse', async () => {
    vault.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'Sign' });
    const e = await failedIssue();
    expect(e).toMatchObject({ code: 'InvalidResponse' });
    expect(e.message).toMatch(/vault:v<N>:<base64>/);
  });

  it('an aborted build -> Aborted, promptly, while Vault is slow', async () => {
    vault.faults.inject({ fault: { kind: 'latency', ms: 2_000 }, operation: 'Sign' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failedIssue({}, controller.signal)).toMatchObject({ code: 'Aborted', retryable: false });
  });

  it('an already aborted signal -> Aborted without a call', async () => {
    const e = await failedIssue({}, AbortSignal.abort());
    expect(e.code).toBe('Aborted');
    expect(vault.calls.get('Sign')).toBe(0);
  });

  it('faults on the key read surface from verifyingKey() and are not cached', async () => {
    vault.faults.inject({ fault: { kind: 'unavailable' }, operation: 'ReadKey', times: 3 });
    const signer = tokenSigner(vault, { maxRetries: 2 });
    expect(await rejection(signer.verifyingKey())).toMatchObject({ code: 'Unavailable' });
    await expect(signer.verifyingKey()).resolves.toEqual(publicKey);
    expect(vault.calls.get('ReadKey')).toBe(4);
  });
});
