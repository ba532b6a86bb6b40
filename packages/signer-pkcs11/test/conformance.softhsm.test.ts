// @a1/signer-testkit's conformance suite, run against Pkcs11Signer on a real SoftHSM2 token.
// Every fault below happens for real on the token; nothing in pkcs11js is stubbed.
import { afterAll, beforeAll } from 'vitest';
import pkcs11js from 'pkcs11js';
import { describeSignerConformance } from '@a1/signer-testkit';
import { Pkcs11Signer } from '../src/signer.js';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { acquireModule, type ModuleLease } from '../src/module-registry.js';
import { findTokenSlot } from '../src/token.js';
import { createTokens, describeWithSoftHsm, destroyObjects, generateP256, USER_PIN, withTokenSession, type TestToken } from './softhsm.js';

const WRONG_PIN = 'wrong-pin-31c4e9';
const CHANGED_PIN = 'pin-changed-8d2e17';

describeWithSoftHsm('Pkcs11Signer (SoftHSM2)', ({ modulePath }) => {
  let token: TestToken;
  // Held for the whole file so the module (and the counter wrapped around it) stays loaded.
  let lease: ModuleLease;
  let ecPointReads = 0;
  const create = (options: Partial<ConstructorParameters<typeof Pkcs11Signer>[0]> = {}) =>
    new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1', pin: USER_PIN, label: 'root', ...options });

  beforeAll(async () => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['a1']) as [TestToken];
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'root', id: Uint8Array.of(1) });
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'doomed', id: Uint8Array.of(4) });
    await withTokenSession(token, (api, session) => generateP256(api, session, 'p256', 2));
    lease = acquireModule(modulePath);
    // Count real public-key reads: calls asking for CKA_EC_POINT (the call itself still happens).
    const api = lease.api;
    const original = api.C_GetAttributeValue.bind(api);
    api.C_GetAttributeValue = ((session: Buffer, object: Buffer, template: pkcs11js.Template) => {
      if (template.some((a) => a.type === pkcs11js.CKA_EC_POINT)) ecPointReads += 1;
      return original(session, object, template);
    }) as typeof api.C_GetAttributeValue;
  });

  afterAll(() => {
    lease?.release();
    token?.remove();
  });

  describeSignerConformance('Pkcs11Signer', {
    create: () => create(),
    publicKeyFetches: () => ecPointReads,
    wrongKeyType: { create: () => create({ label: 'p256' }), keyName: 'p256' },
    secrets: [USER_PIN, WRONG_PIN, CHANGED_PIN],
    faults: {
      'wrong PIN': {
        create: () => create({ pin: WRONG_PIN }),
        phase: 'first-use',
        arrange: () => undefined,
        expect: { code: 'AccessDenied', retryable: false },
      },
      'missing token': {
        create: () => create({ tokenLabel: 'no-such-token' }),
        phase: 'first-use',
        arrange: () => undefined,
        expect: { code: 'KeyNotFound', retryable: false, cause: false },
      },
      'missing key': {
        create: () => create({ label: 'no-such-key' }),
        phase: 'first-use',
        arrange: () => undefined,
        expect: { code: 'KeyNotFound', retryable: false, cause: false },
      },
      'key destroyed on the token after first use': {
        create: () => create({ label: 'doomed' }),
        arrange: () => withTokenSession(token, (api, session) => void destroyObjects(api, session, 'doomed')),
        expect: { code: 'KeyNotFound', retryable: false, cause: false },
      },
      'PIN changed and sessions dropped underneath': {
        arrange: () =>
          withTokenSession(token, (api, session, slot) => {
            api.C_SetPIN(session, USER_PIN, CHANGED_PIN);
            api.C_CloseAllSessions(slot);
          }),
        cleanup: () => {
          const slot = findTokenSlot(lease.api, { tokenLabel: 'a1' }, undefined);
          const session = lease.api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
          lease.api.C_Login(session, pkcs11js.CKU_USER, CHANGED_PIN);
          lease.api.C_SetPIN(session, CHANGED_PIN, USER_PIN);
          lease.api.C_Logout(session);
          lease.api.C_CloseSession(session);
        },
        expect: { code: 'AccessDenied', retryable: false },
      },
      'signal aborted before the sign': {
        arrange: () => undefined,
        signal: () => AbortSignal.abort(),
        expect: { code: 'Aborted', retryable: false },
      },
    },
  });
});
