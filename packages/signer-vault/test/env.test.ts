import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { parseVaultEnv } from '../src/env.js';
import { VaultTransitSigner } from '../src/vault-transit-signer.js';

const base = { VAULT_ADDR: 'https://vault.example:8200', A1_VAULT_KEY: 'a1-root' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

function misconfigured(fn: () => unknown): SignerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    expect((e as SignerError).code).toBe('Misconfigured');
    return e as SignerError;
  }
  throw new Error('expected a Misconfigured SignerError');
}

describe('parseVaultEnv', () => {
  it('reads a token setup', () => {
    expect(parseVaultEnv({ ...base, VAULT_TOKEN: 'hvs.token-1234', VAULT_NAMESPACE: '/team-a/', A1_VAULT_MOUNT: 'signing', A1_VAULT_KEY_VERSION: '2' })).toEqual({
      options: { endpoint: base.VAULT_ADDR, keyName: 'a1-root', token: 'hvs.token-1234', namespace: 'team-a', mountPath: 'signing', keyVersion: 2 },
    });
  });

  it('prefers AppRole over a stray VAULT_TOKEN', () => {
    const { options } = parseVaultEnv({ ...base, VAULT_TOKEN: 'hvs.stray-token', VAULT_ROLE_ID: 'role-1', VAULT_SECRET_ID: 'secret-1' });
    expect(options).toEqual({ endpoint: base.VAULT_ADDR, keyName: 'a1-root', roleId: 'role-1', secretId: 'secret-1' });
  });

  it('takes A1_VAULT_KEY as a hashivault:// URI; explicit variables win over it', () => {
    const { options } = parseVaultEnv({ ...base, VAULT_TOKEN: 't-123456', A1_VAULT_KEY: 'hashivault://k?mount=m&version=4&namespace=ns' });
    expect(options).toMatchObject({ keyName: 'k', mountPath: 'm', keyVersion: 4, namespace: 'ns' });
    const overridden = parseVaultEnv({ ...base, VAULT_TOKEN: 't-123456', A1_VAULT_KEY: 'hashivault://k?version=4', A1_VAULT_KEY_VERSION: '7' });
    expect(overridden.options.keyVersion).toBe(7);
  });

  it('keeps VAULT_CACERT PEM inline and reports a path for fromEnv to read', () => {
    expect(parseVaultEnv({ ...base, VAULT_TOKEN: 't-123456', VAULT_CACERT: PEM }).options.caCert).toBe(PEM);
    expect(parseVaultEnv({ ...base, VAULT_TOKEN: 't-123456', VAULT_CACERT: '/etc/vault/ca.pem' })).toMatchObject({ caCertFile: '/etc/vault/ca.pem' });
  });

  it('names what is missing or wrong, never a secret value', () => {
    expect(misconfigured(() => parseVaultEnv({ A1_VAULT_KEY: 'k' })).message).toMatch(/VAULT_ADDR/);
    expect(misconfigured(() => parseVaultEnv({ VAULT_ADDR: 'http://x' })).message).toMatch(/A1_VAULT_KEY/);
    expect(misconfigured(() => parseVaultEnv(base)).message).toMatch(/VAULT_TOKEN, VAULT_TOKEN_FILE .*VAULT_ROLE_ID.*VAULT_K8S_ROLE.*VAULT_JWT_ROLE/);
    expect(misconfigured(() => parseVaultEnv({ ...base, VAULT_TOKEN: 't', A1_VAULT_KEY_VERSION: 'latest' })).message).toMatch(/A1_VAULT_KEY_VERSION/);
    expect(misconfigured(() => parseVaultEnv({ ...base, VAULT_TOKEN: 't', A1_VAULT_KEY: 'a/b' })).message).toMatch(/A1_VAULT_KEY/);
    const e = misconfigured(() => parseVaultEnv({ ...base, VAULT_TOKEN: 'hvs.super-secret-token', A1_VAULT_KEY_VERSION: 'x' }));
    expect(inspect(e, { depth: 10 })).not.toContain('super-secret-token');
  });
});

describe('VaultTransitSigner.fromEnv / fromUri / constructor', () => {
  it('reads VAULT_CACERT from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a1-vault-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, PEM);
    const signer = VaultTransitSigner.fromEnv({ ...base, VAULT_TOKEN: 't-123456', VAULT_CACERT: file });
    expect(signer.keyId).toBe('transit/keys/a1-root');
    const missing = misconfigured(() => VaultTransitSigner.fromEnv({ ...base, VAULT_TOKEN: 't-123456', VAULT_CACERT: join(dir, 'nope.pem') }));
    expect(missing.message).toMatch(/VAULT_CACERT.*ENOENT/);
  });

  it('builds from a URI with address and auth from the environment', () => {
    const signer = VaultTransitSigner.fromUri('hashivault://k?mount=signing&namespace=team-a', { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: 't-123456' });
    expect(signer).toMatchObject({ keyName: 'k', mountPath: 'signing', namespace: 'team-a', keyId: 'team-a/signing/keys/k', provider: 'vault-transit' });
  });

  it('refuses bad options without any I/O', () => {
    const ok = { endpoint: 'http://127.0.0.1:1', keyName: 'k', token: 't-123456' };
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, endpoint: 'not a url' })).message).toMatch(/endpoint/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, endpoint: 'ftp://x' })).message).toMatch(/http/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, endpoint: 'http://user:pw@x' })).message).toMatch(/credentials/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, keyName: '../sys' })).message).toMatch(/keyName/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, roleId: 'r' })).message).toMatch(/give one way to authenticate, not token and roleId/);
    expect(misconfigured(() => new VaultTransitSigner({ endpoint: ok.endpoint, keyName: 'k' })).message).toMatch(/a way to authenticate is required/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, keyVersion: 0 })).message).toMatch(/keyVersion/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, timeoutMs: -1 })).message).toMatch(/timeoutMs/);
    expect(misconfigured(() => new VaultTransitSigner({ ...ok, mountPath: '/' })).message).toMatch(/mountPath/);
  });

  it('ignores VAULT_TOKEN / VAULT_NAMESPACE in process.env unless fromEnv is used', () => {
    const saved = { token: process.env.VAULT_TOKEN, ns: process.env.VAULT_NAMESPACE };
    process.env.VAULT_TOKEN = 'hvs.from-process-env';
    process.env.VAULT_NAMESPACE = 'elsewhere';
    try {
      const signer = new VaultTransitSigner({ endpoint: 'http://127.0.0.1:1', keyName: 'k', token: 't-123456' });
      expect(signer.namespace).toBeUndefined();
      expect(inspect(signer, { depth: 10 })).not.toContain('from-process-env');
    } finally {
      if (saved.token === undefined) delete process.env.VAULT_TOKEN;
      else process.env.VAULT_TOKEN = saved.token;
      if (saved.ns === undefined) delete process.env.VAULT_NAMESPACE;
      else process.env.VAULT_NAMESPACE = saved.ns;
    }
  });
});
