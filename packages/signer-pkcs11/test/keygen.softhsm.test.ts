// generateEd25519KeyPair and the a1-pkcs11-keygen command, on a real SoftHSM2 token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pkcs11js from 'pkcs11js';
import { SignerError, verifyEd25519 } from '@a1/core';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { runKeygenCommand } from '../src/keygen-command.js';
import { loadedModules } from '../src/module-registry.js';
import { Pkcs11Signer } from '../src/signer.js';
import { createTokens, describeWithSoftHsm, USER_PIN, withTokenSession, type TestToken } from './softhsm.js';
import { expectNoSecret } from './secrets.js';

function captured() {
  const lines = { out: '', err: '' };
  return { lines, io: { out: (t: string) => void (lines.out += t), err: (t: string) => void (lines.err += t) } };
}

describeWithSoftHsm('Ed25519 key generation on a real SoftHSM2 token', ({ modulePath }) => {
  let token: TestToken;

  beforeAll(() => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['keys']) as [TestToken];
  });

  afterAll(() => {
    expect(loadedModules()).toEqual([]); // every helper call released the module
    token?.remove();
  });

  it('creates a sensitive, non-extractable Ed25519 private key and its public twin', async () => {
    const pair = await generateEd25519KeyPair({ module: modulePath, token: 'keys', pin: USER_PIN, label: 'gen-1' });
    expect(pair.publicKey).toHaveLength(32);
    expect(pair.id).toHaveLength(16); // random when not given
    expect(pair.uri).toBe(`pkcs11:token=keys;object=gen-1;id=${[...pair.id].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')};type=private`);
    const attributes = await withTokenSession(token, (api, session) => {
      api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_LABEL, value: 'gen-1' }]);
      const [key] = api.C_FindObjects(session, 2);
      api.C_FindObjectsFinal(session);
      return api.C_GetAttributeValue(session, key!, [
        { type: pkcs11js.CKA_SENSITIVE },
        { type: pkcs11js.CKA_EXTRACTABLE },
        { type: pkcs11js.CKA_TOKEN },
      ]).map((a) => a.value[0]);
    });
    expect(attributes).toEqual([1, 0, 1]);

    const signer = new Pkcs11Signer({ module: modulePath, tokenLabel: 'keys', pin: USER_PIN, label: 'gen-1' });
    const message = Uint8Array.of(1, 2, 3);
    expect(verifyEd25519(pair.publicKey, message, await signer.signMessage(message))).toBe(true);
    await signer.close();
  });

  it('refuses a label or id already on the token', async () => {
    await generateEd25519KeyPair({ module: modulePath, token: 'keys', pin: USER_PIN, label: 'gen-2', id: Uint8Array.of(0x22) });
    await expect(generateEd25519KeyPair({ module: modulePath, token: 'keys', pin: USER_PIN, label: 'gen-2' })).rejects.toThrow(/already holds an object for key "gen-2"/);
    await expect(generateEd25519KeyPair({ module: modulePath, token: 'keys', pin: USER_PIN, label: 'gen-3', id: Uint8Array.of(0x22) })).rejects.toThrow(/\(id 22\)/);
  });

  it('a wrong PIN is an AccessDenied SignerError without the PIN', async () => {
    const error = await generateEd25519KeyPair({ module: modulePath, token: 'keys', pin: 'wrong-pin-55a0c1', label: 'gen-4' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignerError);
    expect((error as SignerError).code).toBe('AccessDenied');
    expectNoSecret(error, ['wrong-pin-55a0c1', USER_PIN]);
  });

  it('a1-pkcs11-keygen prints the public key and URI; the PIN comes from the environment', async () => {
    const { lines, io } = captured();
    const env = { A1_PKCS11_MODULE: modulePath, A1_PKCS11_TOKEN: 'keys', A1_PKCS11_PIN: USER_PIN };
    expect(await runKeygenCommand(['--label', 'cli-1', '--id', '0c:01', '--json'], env, io)).toBe(0);
    const printed = JSON.parse(lines.out) as { publicKey: string; id: string; uri: string };
    expect(printed).toMatchObject({ id: '0c01', uri: 'pkcs11:token=keys;object=cli-1;id=%0c%01;type=private' });
    const signer = new Pkcs11Signer({ module: modulePath, tokenLabel: 'keys', pin: USER_PIN, id: Uint8Array.of(0x0c, 0x01) });
    expect(Buffer.from(await signer.verifyingKey()).toString('hex')).toBe(printed.publicKey);
    await signer.close();
    expect(lines.out + lines.err).not.toContain(USER_PIN);
  });

  it('a1-pkcs11-keygen reads the PIN from a file, and reports errors without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a1-pin-'));
    writeFileSync(join(dir, 'pin'), `${USER_PIN}\n`);
    const ok = captured();
    try {
      expect(await runKeygenCommand(['--module', modulePath, '--token', 'keys', '--label', 'cli-2', '--pin-file', join(dir, 'pin')], {}, ok.io)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(ok.lines.out).toMatch(/^public key {2}[0-9a-f]{64}$/m);

    const missing = captured();
    expect(await runKeygenCommand(['--token', 'keys'], {}, missing.io)).toBe(2);
    expect(missing.lines.err).toContain('--module and --label are required');

    const unknown = captured();
    expect(await runKeygenCommand(['--pin', USER_PIN], {}, unknown.io)).toBe(2);
    expect(unknown.lines.err).toContain("Unknown option '--pin'");

    const wrongPin = captured();
    expect(await runKeygenCommand(['--module', modulePath, '--token', 'keys', '--label', 'cli-3'], { A1_PKCS11_PIN: 'wrong-pin-55a0c1' }, wrongPin.io)).toBe(1);
    expect(wrongPin.lines.err).toContain('CKR_PIN_INCORRECT');
    expect(wrongPin.lines.err).not.toContain('wrong-pin-55a0c1');
  });
});
