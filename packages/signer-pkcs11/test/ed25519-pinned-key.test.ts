/**
 * A key read from the token must be a proper Ed25519 public key: a small-order or non-point key
 * in CKA_EC_POINT or CKA_PUBLIC_KEY_INFO (a tampered token object, a hostile HSM) is a
 * non-retryable SignerError InvalidResponse naming the problem. Pure parse functions first, then
 * on a real SoftHSM2 token whose public twin was replaced by one carrying 00…00.
 */
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignerError } from '@a1/core';
import { CKK_EC_EDWARDS, EDWARDS25519_OID_DER } from '../src/constants.js';
import { ed25519KeyFromEcPoint, ed25519KeyFromSpki } from '../src/ed25519-attributes.js';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { Pkcs11Signer } from '../src/signer.js';
import { createTokens, describeWithSoftHsm, USER_PIN, withTokenSession, type TestToken } from './softhsm.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const SPKI_PREFIX = hex('302a300506032b6570032100');
const BAD_KEYS: Array<[string, Uint8Array, RegExp]> = [
  ['00…00', new Uint8Array(32), /small-order/],
  ['the identity 01 00…00', hex('01'.padEnd(64, '0')), /small-order/],
  ['an order-8 point', hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'), /small-order/],
  ['y = 2, not a curve point', hex('02'.padEnd(64, '0')), /not a valid Ed25519 public key/],
];

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('the attribute parsers refuse small-order and non-point keys', () => {
  it.each(BAD_KEYS)('%s in CKA_EC_POINT (DER and raw) and CKA_PUBLIC_KEY_INFO', (_label, key, problem) => {
    for (const [attribute, parse] of [
      ['CKA_EC_POINT', () => ed25519KeyFromEcPoint(Uint8Array.of(0x04, 0x20, ...key), 'pkcs11:object=root')],
      ['CKA_EC_POINT', () => ed25519KeyFromEcPoint(key, 'pkcs11:object=root')],
      ['CKA_PUBLIC_KEY_INFO', () => ed25519KeyFromSpki(Uint8Array.of(...SPKI_PREFIX, ...key), 'pkcs11:object=root')],
    ] as const) {
      const e = thrown(parse);
      expect(e).toBeInstanceOf(SignerError);
      expect(e).toMatchObject({ code: 'InvalidResponse', retryable: false, provider: 'pkcs11', keyId: 'pkcs11:object=root' });
      expect((e as Error).message).toMatch(problem);
      expect((e as Error).message).toContain(attribute);
    }
  });
});

describeWithSoftHsm('a token whose public twin carries a small-order key (real SoftHSM2)', ({ modulePath }) => {
  let token: TestToken;
  const open: Pkcs11Signer[] = [];
  beforeAll(async () => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['a1']) as [TestToken];
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'tampered', id: Uint8Array.of(5) });
    await withTokenSession(token, (api, session) => {
      // Replace the generated twin by one whose CKA_EC_POINT is 04 20 00…00.
      api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, { type: pkcs11js.CKA_LABEL, value: 'tampered' }]);
      const [twin] = api.C_FindObjects(session, 2);
      api.C_FindObjectsFinal(session);
      api.C_DestroyObject(session, twin!);
      api.C_CreateObject(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: 'tampered' },
        { type: pkcs11js.CKA_ID, value: Buffer.of(5) },
        { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(EDWARDS25519_OID_DER) },
        { type: pkcs11js.CKA_EC_POINT, value: Buffer.concat([Buffer.of(0x04, 0x20), Buffer.alloc(32)]) },
        { type: pkcs11js.CKA_VERIFY, value: true },
      ]);
    });
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    token?.remove();
  });

  it('verifyingKey() is InvalidResponse, not retryable, naming a small-order key', async () => {
    const signer = new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1', pin: USER_PIN, label: 'tampered' });
    open.push(signer);
    const e = await signer.verifyingKey().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SignerError);
    expect(e).toMatchObject({ code: 'InvalidResponse', retryable: false, provider: 'pkcs11' });
    expect((e as Error).message).toMatch(/CKA_EC_POINT is a small-order Ed25519 public key/);
  });
});
