/**
 * A derived ed25519 transit key (`derived: true`) has no public key without a per-request
 * context, so it cannot be an A1 root: the signer says so once, as a non-retryable WrongKeyType
 * with the command that makes a usable key, instead of a retryable InvalidResponse.
 */
import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { rejection, startVault } from './support.js';

let vault: VaultTransitEmulator;
beforeEach(async () => {
  vault = await startVault();
  vault.createKey({ name: 'derived-root', derived: true });
});
afterEach(() => vault.close());

it('a derived key is WrongKeyType, not retried, with the command for a non-derived key', async () => {
  const signer = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'derived-root', token: vault.rootToken, retryBaseDelayMs: 5 });
  const e = (await rejection(signer.verifyingKey())) as SignerError;
  expect(e).toBeInstanceOf(SignerError);
  expect(e).toMatchObject({ code: 'WrongKeyType', retryable: false });
  expect(e.message).toContain('derived=true');
  expect(e.message).toContain('vault write transit/keys/NEW_NAME type=ed25519');
  expect(vault.calls.get('ReadKey')).toBe(1);
  await signer.close();
});
