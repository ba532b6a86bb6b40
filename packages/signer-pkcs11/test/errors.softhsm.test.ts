// Every way a PKCS#11 setup can be wrong ends in a SignerError that names the problem — and never
// the PIN. Real SoftHSM2 token, real keys of the wrong kinds.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SignerError, type SignerErrorCode } from '@a1/core';
import { Pkcs11Signer } from '../src/signer.js';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { loadedModules } from '../src/module-registry.js';
import { createTokens, describeWithSoftHsm, destroyObjects, generateP256, generateRsa, relabel, USER_PIN, withTokenSession, type TestToken } from './softhsm.js';
import { expectNoSecret } from './secrets.js';

const WRONG_PIN = 'wrong-pin-31c4e9';

async function signerError(promise: Promise<unknown>, code: SignerErrorCode, text: string): Promise<SignerError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${code} SignerError`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignerError);
  const signerError = error as SignerError;
  expect({ code: signerError.code, provider: signerError.provider }).toEqual({ code, provider: 'pkcs11' });
  expect(signerError.message).toContain(text);
  expectNoSecret(signerError, [USER_PIN, WRONG_PIN]);
  return signerError;
}

describeWithSoftHsm('signer errors on a real SoftHSM2 token', ({ modulePath }) => {
  let token: TestToken;
  const open: Pkcs11Signer[] = [];
  const signer = (options: Partial<ConstructorParameters<typeof Pkcs11Signer>[0]> = {}) => {
    const created = new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1', pin: USER_PIN, label: 'root', ...options });
    open.push(created);
    return created;
  };

  beforeAll(async () => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['a1', 'other']) as [TestToken];
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'root', id: Uint8Array.of(1) });
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'doomed', id: Uint8Array.of(4) });
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'twin', id: Uint8Array.of(5) });
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'twin-b', id: Uint8Array.of(6) });
    await withTokenSession(token, (api, session) => {
      generateP256(api, session, 'p256', 2);
      generateRsa(api, session, 'rsa', 3);
      // keygen refuses duplicate labels, so make the second "twin" by renaming.
      relabel(api, session, 'twin-b', 'twin');
    });
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    expect(loadedModules()).toEqual([]); // the last close finalized the module
    token?.remove();
  });

  it('wrong PIN → AccessDenied naming CKR_PIN_INCORRECT, not retried (a retry counts towards a lockout)', async () => {
    const s = signer({ pin: WRONG_PIN });
    const first = await signerError(s.verifyingKey(), 'AccessDenied', 'C_Login failed: CKR_PIN_INCORRECT');
    expect(first.retryable).toBe(false);
    expect(first.keyId).toBe('pkcs11:token=a1;object=root;type=private');
    const again = await signerError(s.signMessage(new Uint8Array(32)), 'AccessDenied', 'CKR_PIN_INCORRECT');
    expect(again).toBe(first);
  });

  it('wrong PIN while the token is already logged in by another signer → still refused', async () => {
    const good = signer();
    await good.verifyingKey();
    await signerError(signer({ pin: WRONG_PIN }).verifyingKey(), 'AccessDenied', 'CKR_PIN_INCORRECT');
  });

  it('a PIN callback that throws → Misconfigured, the callback error kept as cause', async () => {
    await signerError(signer({ pin: () => { throw new Error('vault down'); } }).verifyingKey(), 'Misconfigured', 'PIN callback failed');
  });

  it('missing token → KeyNotFound naming it and the tokens present', async () => {
    const error = await signerError(signer({ tokenLabel: 'nope' }).verifyingKey(), 'KeyNotFound', 'token "nope" not found');
    expect(error.message).toContain('"a1"');
  });

  it('several tokens and no selector → Misconfigured', async () => {
    await signerError(signer({ tokenLabel: undefined }).verifyingKey(), 'Misconfigured', 'is ambiguous');
  });

  it('missing key → KeyNotFound naming it', async () => {
    await signerError(signer({ label: 'ghost' }).signMessage(new Uint8Array(32)), 'KeyNotFound', 'no private key "ghost" on token "a1"');
    await signerError(signer({ label: 'root', id: Uint8Array.of(9) }).verifyingKey(), 'KeyNotFound', 'key "root" (id 09)');
  });

  it('two keys with one label → Misconfigured asking for an id', async () => {
    await signerError(signer({ label: 'twin' }).verifyingKey(), 'Misconfigured', 'more than one private key "twin"');
    expect((await signer({ label: 'twin', id: Uint8Array.of(6) }).verifyingKey()).length).toBe(32);
  });

  it('EC P-256 key → WrongKeyType naming the key and its curve', async () => {
    const error = await signerError(signer({ label: 'p256' }).signMessage(new Uint8Array(32)), 'WrongKeyType', 'key "p256" is an EC key on P-256');
    expect(error.retryable).toBe(false);
  });

  it('RSA key → WrongKeyType naming the key', async () => {
    await signerError(signer({ label: 'rsa' }).verifyingKey(), 'WrongKeyType', 'key "rsa" is an RSA key (CKK_RSA), not an Ed25519 key');
  });

  it('a module path that does not load → Misconfigured', async () => {
    await signerError(signer({ module: '/nonexistent/libpkcs11.so' }).verifyingKey(), 'Misconfigured', 'cannot load PKCS#11 module');
  });

  it('a key deleted behind the signer → one reconnect, then KeyNotFound', async () => {
    const s = signer({ label: 'doomed' });
    await s.signMessage(new Uint8Array(32));
    expect(await withTokenSession(token, (api, session) => destroyObjects(api, session, 'doomed'))).toBe(2);
    await signerError(s.signMessage(new Uint8Array(32)), 'KeyNotFound', 'no private key "doomed"');
    expect(s.sessionStats()?.resets).toBe(1);
  });

  it('an aborted sign → Aborted; a non-bytes message → Misconfigured', async () => {
    const s = signer();
    await signerError(s.signMessage(new Uint8Array(32), { signal: AbortSignal.abort() }), 'Aborted', 'aborted');
    await signerError(s.signMessage('hello' as unknown as Uint8Array), 'Misconfigured', 'Uint8Array');
  });

  it('a closed signer refuses to sign', async () => {
    const s = signer();
    await s.signMessage(new Uint8Array(32));
    await s.close();
    await signerError(s.signMessage(new Uint8Array(32)), 'Misconfigured', 'signer is closed');
  });

  it('bad options are refused at construction', () => {
    expect(() => new Pkcs11Signer({ module: modulePath, pin: USER_PIN })).toThrow(/label and\/or options.id/);
    expect(() => new Pkcs11Signer({ module: '', pin: USER_PIN, label: 'x' })).toThrow(/options.module/);
    expect(() => new Pkcs11Signer({ module: modulePath, pin: USER_PIN, label: 'x', poolSize: 0 })).toThrow(/poolSize/);
  });

  it('the signer itself never shows the PIN when logged or serialized', async () => {
    const s = signer();
    await s.verifyingKey();
    expectNoSecret(s, [USER_PIN]);
    expect(JSON.parse(JSON.stringify(s))).toEqual({ provider: 'pkcs11', keyId: 'pkcs11:token=a1;object=root;type=private' });
  });
});
