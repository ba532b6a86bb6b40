// Keys as other tools and cards leave them (issue 13, PKCS#11): a CKA_ALWAYS_AUTHENTICATE key that
// needs a context-specific login before each C_Sign, and a public twin whose CKA_EC_PARAMS is
// GnuPG's Ed25519 OID, as OpenSC writes it. Real SoftHSM2 token: SoftHSM2 enforces
// CKA_ALWAYS_AUTHENTICATE (C_Sign answers CKR_USER_NOT_LOGGED_IN without the context login).
import { afterAll, beforeAll, expect, it } from 'vitest';
import pkcs11js from 'pkcs11js';
import { SignerError, verifyEd25519 } from '@a1/core';
import { Pkcs11Signer } from '../src/signer.js';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { CKK_EC_EDWARDS, CKM_EC_EDWARDS_KEY_PAIR_GEN, EDWARDS25519_GNUPG_OID_DER, EDWARDS25519_OID_DER } from '../src/constants.js';
import { createTokens, describeWithSoftHsm, USER_PIN, withTokenSession, type TestToken } from './softhsm.js';
import { expectNoSecret } from './secrets.js';

describeWithSoftHsm('key attributes other tools write, on a real SoftHSM2 token', ({ modulePath }) => {
  let token: TestToken;
  let gnupgTwinPk: Uint8Array;
  const open: Pkcs11Signer[] = [];
  const signer = (options: Partial<ConstructorParameters<typeof Pkcs11Signer>[0]>) => {
    const created = new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1', pin: USER_PIN, ...options });
    open.push(created);
    return created;
  };

  beforeAll(async () => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['a1']) as [TestToken];
    gnupgTwinPk = (await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'gnupg', id: Uint8Array.of(7) })).publicKey;
    await withTokenSession(token, (api, session) => {
      const common = [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: 'piv' },
        { type: pkcs11js.CKA_ID, value: Buffer.of(9) },
      ];
      api.C_GenerateKeyPair(
        session,
        { mechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN },
        [...common, { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(EDWARDS25519_OID_DER) }, { type: pkcs11js.CKA_VERIFY, value: true }],
        [
          ...common,
          { type: pkcs11js.CKA_PRIVATE, value: true },
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          { type: pkcs11js.CKA_SIGN, value: true },
          { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: true },
        ],
      );

      // Replace the generated public twin of "gnupg" by one carrying GnuPG's OID (SoftHSM2 cannot
      // generate on that OID, and CKA_EC_PARAMS is read-only, so the twin is created anew).
      api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, { type: pkcs11js.CKA_LABEL, value: 'gnupg' }]);
      const [twin] = api.C_FindObjects(session, 2);
      api.C_FindObjectsFinal(session);
      const point = api.C_GetAttributeValue(session, twin!, [{ type: pkcs11js.CKA_EC_POINT }])[0]!.value!;
      api.C_DestroyObject(session, twin!);
      api.C_CreateObject(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: 'gnupg' },
        { type: pkcs11js.CKA_ID, value: Buffer.of(7) },
        { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(EDWARDS25519_GNUPG_OID_DER) },
        { type: pkcs11js.CKA_EC_POINT, value: point },
        { type: pkcs11js.CKA_VERIFY, value: true },
      ]);
    });
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    token?.remove();
  });

  it('reads a public twin whose CKA_EC_PARAMS is the GnuPG OID 1.3.6.1.4.1.11591.15.1, and signs', async () => {
    const s = signer({ label: 'gnupg' });
    expect(await s.verifyingKey()).toEqual(gnupgTwinPk);
    const message = new TextEncoder().encode('opensc wrote this key');
    expect(verifyEd25519(gnupgTwinPk, message, await s.signMessage(message))).toBe(true);
  });

  it('logs in context-specifically before each C_Sign of a CKA_ALWAYS_AUTHENTICATE key', async () => {
    let pinReads = 0;
    const s = signer({ label: 'piv', poolSize: 2, pin: () => (pinReads++, USER_PIN) });
    const publicKey = await s.verifyingKey();
    const readsAfterLogin = pinReads;
    const messages = Array.from({ length: 6 }, (_, i) => new TextEncoder().encode(`piv sign ${i}`));
    const signatures = await Promise.all(messages.map((m) => s.signMessage(m)));
    signatures.forEach((sig, i) => expect(verifyEd25519(publicKey, messages[i]!, sig)).toBe(true));
    // One PIN read per sign for its context login; no reconnects (the old code took the token's
    // CKR_USER_NOT_LOGGED_IN for a lost session, reconnected, and failed again).
    expect(pinReads - readsAfterLogin).toBe(6);
    expect(s.sessionStats()?.resets).toBe(0);
  });

  it('a context login refused for a wrong PIN is AccessDenied, final, and names no PIN', async () => {
    const wrong = 'wrong-context-pin-88';
    let reads = 0;
    const s = signer({ label: 'piv', pin: () => (reads++ === 0 ? USER_PIN : wrong) });
    await s.verifyingKey();
    const first = await s.signMessage(new Uint8Array(8)).catch((e: unknown) => e as SignerError);
    expect(first).toBeInstanceOf(SignerError);
    expect(first).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect((first as SignerError).message).toMatch(/CKU_CONTEXT_SPECIFIC.*CKR_PIN_INCORRECT/);
    expectNoSecret(first, [USER_PIN, wrong]);
    const readsBefore = reads;
    await expect(s.signMessage(new Uint8Array(8))).rejects.toBe(first); // not tried again
    expect(reads).toBe(readsBefore);
  });
});
