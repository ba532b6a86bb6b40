import { inspect } from 'node:util';
import { SignerError } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultTransitSigner } from '../src/index.js';
import { issueCert, rejection, startVault } from './support.js';

const TOKEN = 'hvs.static-token-3c9e71f2';
const SECRET_ID = 'secret-id-5d8a0b64';

let vault: VaultTransitEmulator;
let output: string[];
const restore: Array<() => void> = [];

beforeEach(async () => {
  vault = await startVault({ rootToken: TOKEN });
  vault.createKey({ name: 'a1-root' });
  output = [];
  // Everything written to stdout / stderr or through console while a test runs.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = write;
    });
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      output.push(args.map((a) => inspect(a, { depth: 10 })).join(' '));
    };
    restore.push(() => {
      console[level] = original;
    });
  }
});
afterEach(async () => {
  for (const undo of restore.splice(0)) undo();
  await vault.close();
});

function everythingAbout(e: unknown): string {
  const err = e as Error;
  return [String(err), err.message, err.stack, JSON.stringify(err), inspect(err, { depth: Infinity, showHidden: true })].join('\n');
}

describe('secrets stay out of errors, logs and the signer itself', () => {
  it('the token appears nowhere, on any failure path', async () => {
    process.env.DEBUG = 'node-vault,axios'; // node-vault's debug output would print request bodies
    try {
      const signer = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: TOKEN, maxRetries: 1, retryBaseDelayMs: 1, timeoutMs: 150 });
      await issueCert(signer);
      const errors: unknown[] = [];
      vault.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign', times: 2 });
      errors.push(await rejection(issueCert(signer)));
      vault.faults.inject({ fault: { kind: 'throttle' }, operation: 'Sign', times: 2 });
      errors.push(await rejection(issueCert(signer)));
      vault.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'Sign', times: 2 });
      errors.push(await rejection(issueCert(signer)));
      vault.injectStatus({ status: 403, errors: [`token ${TOKEN} is not allowed`], operation: 'Sign', times: 1 });
      errors.push(await rejection(issueCert(signer)));
      const missing = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'absent', token: TOKEN });
      errors.push(await rejection(missing.verifyingKey()));
      for (const e of errors) {
        expect(e).toBeInstanceOf(SignerError);
        expect(everythingAbout(e)).not.toContain(TOKEN);
      }
      // The 403 body above echoed the token; the signer redacted it.
      expect((errors[3] as SignerError).message).toContain('[redacted]');
      expect(inspect(signer, { depth: Infinity, showHidden: true })).not.toContain(TOKEN);
      expect(JSON.stringify(signer)).not.toContain(TOKEN);
      expect(output.join('\n')).not.toContain(TOKEN);
    } finally {
      delete process.env.DEBUG;
    }
  });

  it('the AppRole secret id and the token it yields appear nowhere', async () => {
    const role = vault.addAppRole({ secretId: SECRET_ID, tokenTtlSeconds: 3600 });
    const signer = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId: role.roleId, secretId: SECRET_ID, maxRetries: 0 });
    await issueCert(signer);
    vault.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign', times: 1 });
    const e = await rejection(issueCert(signer));
    const wrong = new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId: role.roleId, secretId: `${SECRET_ID}-wrong` });
    const denied = await rejection(wrong.verifyingKey());
    for (const err of [e, denied]) {
      expect(everythingAbout(err)).not.toContain(SECRET_ID);
      expect(everythingAbout(err)).not.toContain('hvs.');
    }
    expect(inspect(signer, { depth: Infinity, showHidden: true })).not.toMatch(new RegExp(`${SECRET_ID}|hvs\\.`));
    expect(output.join('\n')).not.toMatch(new RegExp(`${SECRET_ID}|hvs\\.`));
  });
});
