import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignerError, verifyEd25519 } from '@a1/core';
import type { AzureKeyVaultEmulator } from '@a1/emulators';
import { AzureKeyVaultSigner, azureKeyFromEnv, fromEnv } from '../src/index.js';
import { emulatorClientOptions, startVault } from './fixtures.js';

describe('azureKeyFromEnv', () => {
  it('reads AZURE_KEYVAULT_URL, A1_AZURE_KEY and A1_AZURE_KEY_VERSION', () => {
    expect(azureKeyFromEnv({ AZURE_KEYVAULT_URL: 'https://acme.vault.azure.net', A1_AZURE_KEY: 'a1-root' })).toEqual({
      vaultUrl: 'https://acme.vault.azure.net',
      keyName: 'a1-root',
    });
    expect(
      azureKeyFromEnv({ AZURE_KEYVAULT_URL: 'https://acme.vault.azure.net', A1_AZURE_KEY: 'a1-root', A1_AZURE_KEY_VERSION: 'abc123' }),
    ).toEqual({ vaultUrl: 'https://acme.vault.azure.net', keyName: 'a1-root', keyVersion: 'abc123' });
  });

  it('names every missing variable', () => {
    try {
      azureKeyFromEnv({ AZURE_CLIENT_SECRET: 'client-secret-0b7d' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SignerError);
      expect((e as SignerError).code).toBe('Misconfigured');
      expect((e as Error).message).toContain('AZURE_KEYVAULT_URL and A1_AZURE_KEY');
      expect((e as Error).message).not.toContain('client-secret-0b7d');
    }
  });
});

describe('fromEnv', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startVault();
    emu.createKey('a1-root');
  });
  afterAll(() => emu.close());

  it('builds a signer without any network call; DefaultAzureCredential is loaded lazily', () => {
    const before = emu.history.length;
    const signer = fromEnv({ AZURE_KEYVAULT_URL: emu.endpoint, A1_AZURE_KEY: 'a1-root' });
    expect(signer).toBeInstanceOf(AzureKeyVaultSigner);
    expect(signer.keyId).toBe(`${emu.endpoint}/keys/a1-root`);
    expect(emu.history.length).toBe(before);
  });

  it('signs against the emulator with an explicit credential and client options', async () => {
    const signer = fromEnv(
      { AZURE_KEYVAULT_URL: emu.endpoint, A1_AZURE_KEY: 'a1-root' },
      { credential: emu.credential(), clientOptions: emulatorClientOptions(emu) },
    );
    const pk = await signer.verifyingKey();
    const message = new Uint8Array(32).fill(1);
    expect(verifyEd25519(pk, message, await signer.signMessage(message))).toBe(true);
  });
});
