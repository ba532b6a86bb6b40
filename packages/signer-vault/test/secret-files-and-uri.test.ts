// Red-team L6 and L7: a word-like bare parameter of the key URI was echoed (it may be a pasted
// secret), and the token and JWT files were read with readFileSync and no look first: a FIFO hung
// the signer forever, /dev/zero blocked the event loop until memory ran out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { assertNoSecrets } from '@a1/signer-testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseVaultUri, VaultTransitSigner } from '../src/index.js';
import { MAX_SECRET_FILE_BYTES } from '../src/secret-file.js';
import { issueCert, rejection, startVault } from './support.js';

describe('the key URI never shows an unknown parameter, however word-like', () => {
  it.each(['hunter_two-Secret', 'passw0rd', 'colour'])('%s', (word) => {
    for (const uri of [`hashivault://k?${word}`, `hashivault://k?${word}=x`, `hashivault://k?mount=m&${word}`]) {
      const error = (() => {
        try {
          parseVaultUri(uri);
        } catch (e) {
          return e as SignerError;
        }
        throw new Error('expected a refusal');
      })();
      expect(error).toBeInstanceOf(SignerError);
      expect(error.message).toMatch(/an unknown parameter \(not shown: it may hold a secret; known: mount, version, namespace\)/);
      expect(error.message).not.toContain(word);
    }
  });
});

describe('token and JWT files: a regular file of at most 64 KiB, read asynchronously', () => {
  let vault: VaultTransitEmulator;
  let dir: string;
  beforeEach(async () => {
    vault = await startVault();
    vault.createKey({ name: 'a1-root' });
    dir = mkdtempSync(join(tmpdir(), 'a1-vault-files-'));
  });
  afterEach(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = () => ({ endpoint: vault.endpoint, keyName: 'a1-root', retryBaseDelayMs: 5, retryDeadlineMs: 0 });
  const fifo = (name: string) => {
    const path = join(dir, name);
    execFileSync('mkfifo', [path]);
    return path;
  };
  const refusal = async (signer: VaultTransitSigner, message: RegExp) => {
    const error = (await rejection(signer.verifyingKey())) as SignerError;
    expect(error).toBeInstanceOf(SignerError);
    expect(error).toMatchObject({ code: 'Misconfigured', retryable: false });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(dir);
    await signer.close();
    return error;
  };

  it('a FIFO as the token file is refused at once, not waited on', async () => {
    await refusal(new VaultTransitSigner({ ...base(), tokenFile: fifo('sink') }), /the Vault token file is not a regular file/);
  });

  it('a character device (/dev/zero) as the token file is refused', async () => {
    await refusal(new VaultTransitSigner({ ...base(), tokenFile: '/dev/zero' }), /the Vault token file is not a regular file/);
  });

  it('an oversize token file is refused without its content in the message', async () => {
    const file = join(dir, 'big');
    const token = vault.createToken({ ttlSeconds: 3600 });
    writeFileSync(file, `${token}\n${'x'.repeat(MAX_SECRET_FILE_BYTES)}`);
    const error = await refusal(new VaultTransitSigner({ ...base(), tokenFile: file }), /the Vault token file is larger than 65536 bytes/);
    assertNoSecrets('oversize token file', error, [token]);
  });

  it('a token file that is fine still works (and a FIFO JWT file for Kubernetes is refused)', async () => {
    const file = join(dir, 'ok');
    writeFileSync(file, `${vault.createToken({ ttlSeconds: 3600 })}\n`);
    const signer = new VaultTransitSigner({ ...base(), tokenFile: file });
    await issueCert(signer);
    await signer.close();

    vault.addKubernetesRole({ role: 'a1-signer', jwts: ['some-token'] });
    await refusal(new VaultTransitSigner({ ...base(), kubernetes: { role: 'a1-signer', jwtFile: fifo('k8s-token') } }), /the kubernetes JWT file is not a regular file/);
  });

  it('an oversize JWT file is refused, and the path of a missing one is not shown', async () => {
    const big = join(dir, 'jwt');
    writeFileSync(big, 'e'.repeat(MAX_SECRET_FILE_BYTES + 1));
    vault.addJwtRole({ role: 'ci', jwts: ['x'], mount: 'jwt' });
    await refusal(new VaultTransitSigner({ ...base(), jwt: { role: 'ci', jwtFile: big } }), /the jwt JWT file is larger than 65536 bytes/);
    await refusal(new VaultTransitSigner({ ...base(), jwt: { role: 'ci', jwtFile: join(dir, 'absent') } }), /the jwt JWT file cannot be read \(ENOENT\)/);
  });
});

describe('a Vault token pasted as the key name, mount or namespace is refused, not made part of keyId', () => {
  const token = 'hvs.PASTEDsecretValue42';
  it.each([
    [`hashivault://${token}`, /the key name looks like a Vault token \(not shown\)/],
    [`hashivault://a1-root?mount=${token}`, /mount looks like a Vault token/],
    [`hashivault://a1-root?namespace=team/${token}`, /namespace looks like a Vault token/],
    ['hashivault://s.abcdefghijklmnopqrstuvwx', /the key name looks like a Vault token/],
  ])('%s', (uri, message) => {
    let error: unknown;
    try {
      parseVaultUri(uri);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignerError);
    expect((error as SignerError).message).toMatch(message);
    expect((error as SignerError).message).not.toContain('PASTED');
    expect((error as SignerError).message).not.toContain('abcdefghijklmnop');
  });

  it('ordinary names pass', () => {
    expect(parseVaultUri('hashivault://a1-root?mount=transit&namespace=team-a/sub')).toMatchObject({ keyName: 'a1-root', mountPath: 'transit', namespace: 'team-a/sub' });
    expect(parseVaultUri('hashivault://s.short').keyName).toBe('s.short');
  });
});
