import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SignerError } from '@a1/core';
import { parseAzureKmsUri } from '../src/index.js';

describe('parseAzureKmsUri', () => {
  it('parses vault, key and optional version', () => {
    expect(parseAzureKmsUri('azurekms://acme.vault.azure.net/a1-root')).toEqual({
      vaultUrl: 'https://acme.vault.azure.net',
      keyName: 'a1-root',
    });
    expect(parseAzureKmsUri('azurekms://acme.managedhsm.azure.net/a1-root/0123456789abcdef0123456789abcdef')).toEqual({
      vaultUrl: 'https://acme.managedhsm.azure.net',
      keyName: 'a1-root',
      keyVersion: '0123456789abcdef0123456789abcdef',
    });
    expect(parseAzureKmsUri('azurekms://127.0.0.1:8443/root').vaultUrl).toBe('https://127.0.0.1:8443');
  });

  it.each([
    ['', 'no scheme'],
    ['https://acme.vault.azure.net/keys/k', 'wrong scheme'],
    ['azurekms://acme.vault.azure.net', 'no key'],
    ['azurekms://acme.vault.azure.net/', 'empty key'],
    ['azurekms://acme.vault.azure.net/bad_name', 'underscore in key name'],
    ['azurekms://acme.vault.azure.net/k/v/extra', 'too many segments'],
    ['azurekms://acme.vault.azure.net/k/', 'empty version'],
    ['azurekms://acme.vault.azure.net/k/v-1', 'dash in version'],
    ['azurekms://acme.vault.azure.net/k?x=1', 'query'],
    ['azurekms://user:pw@acme.vault.azure.net/k', 'credentials'],
    ['azurekms://[bad/k', 'bad host'],
  ])('refuses %j (%s) with Misconfigured', (uri) => {
    let error: unknown;
    try {
      parseAzureKmsUri(uri);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignerError);
    expect((error as SignerError).code).toBe('Misconfigured');
    expect((error as SignerError).provider).toBe('azure-keyvault');
  });

  it('never throws anything but SignerError, and never echoes credentials', () => {
    fc.assert(
      fc.property(fc.string(), (tail) => {
        try {
          const parsed = parseAzureKmsUri(`azurekms://${tail}`);
          expect(parsed.vaultUrl.startsWith('https://')).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(SignerError);
        }
      }),
    );
    try {
      parseAzureKmsUri('azurekms://me:hunter2-secret@acme.vault.azure.net/k');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2-secret');
    }
  });
});
