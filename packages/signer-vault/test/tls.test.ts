import { SignerError } from '@a1/core';
import { startVaultTransit, type VaultTransitEmulator } from '@a1/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { issueCert, rejection, verifyCert } from './support.js';

let vaultA: VaultTransitEmulator;
let vaultB: VaultTransitEmulator;
beforeAll(async () => {
  [vaultA, vaultB] = await Promise.all([startVaultTransit({ tls: true }), startVaultTransit({ tls: true })]);
  vaultA.createKey({ name: 'a1-root' });
  vaultB.createKey({ name: 'a1-root' });
});
afterAll(async () => {
  await Promise.all([vaultA.close(), vaultB.close()]);
});

describe('TLS with a pinned CA', () => {
  it('trusting CA A, talks to the Vault whose certificate CA A signed', async () => {
    const signer = new VaultTransitSigner({ endpoint: vaultA.endpoint, keyName: 'a1-root', token: vaultA.rootToken, caCert: vaultA.caCert! });
    const { cert, agent } = await issueCert(signer);
    await verifyCert(cert, agent, vaultA.getKey('a1-root')!.ed25519PublicKey()!);
    await signer.close();
  });

  it('trusting CA A, refuses a Vault whose certificate comes from CA B, and issues nothing', async () => {
    const signer = new VaultTransitSigner({ endpoint: vaultB.endpoint, keyName: 'a1-root', token: vaultB.rootToken, caCert: vaultA.caCert! });
    const e = (await rejection(issueCert(signer))) as SignerError;
    expect(e).toBeInstanceOf(SignerError);
    expect(e).toMatchObject({ code: 'Misconfigured', retryable: false });
    expect(e.message).toMatch(/TLS to Vault failed/);
    expect(vaultB.calls.get('ReadKey')).toBe(0);
    expect(e.message).not.toContain(vaultB.rootToken);
  });

  it('without a CA, refuses the emulator\'s certificate (no silent skip-verify)', async () => {
    const saved = process.env.VAULT_SKIP_VERIFY;
    process.env.VAULT_SKIP_VERIFY = 'true'; // node-vault reads this; the signer's own agent ignores it
    try {
      const signer = new VaultTransitSigner({ endpoint: vaultA.endpoint, keyName: 'a1-root', token: vaultA.rootToken });
      expect(await rejection(signer.verifyingKey())).toMatchObject({ code: 'Misconfigured' });
    } finally {
      if (saved === undefined) delete process.env.VAULT_SKIP_VERIFY;
      else process.env.VAULT_SKIP_VERIFY = saved;
    }
  });
});
