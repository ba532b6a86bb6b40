import { describe, expect, it } from 'vitest';
import { curveName, ed25519KeyFromEcPoint, ed25519KeyFromSpki, isEdwards25519Params } from '../src/ed25519-attributes.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
// RFC 8032 test 1's public key: a real key (small-order and non-point keys are refused, see ed25519-pinned-key.test.ts).
const KEY = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

describe('CKA_EC_PARAMS', () => {
  it('accepts the OID and the printable-string forms of edwards25519', () => {
    expect(isEdwards25519Params(hex('06032b6570'))).toBe(true);
    expect(isEdwards25519Params(hex('130c656477617264733235353139'))).toBe(true);
  });

  it('refuses edwards448, P-256 and truncations', () => {
    expect(isEdwards25519Params(hex('06032b6571'))).toBe(false);
    expect(isEdwards25519Params(hex('06082a8648ce3d030107'))).toBe(false);
    expect(isEdwards25519Params(hex('06032b65'))).toBe(false);
    expect(curveName(hex('06082a8648ce3d030107'))).toBe('P-256 (prime256v1)');
    expect(curveName(hex('06032b6571'))).toBe('edwards448');
    expect(curveName(hex('0601ff'))).toContain('0601ff');
  });
});

describe('CKA_EC_POINT', () => {
  it('unwraps the DER OCTET STRING and accepts raw 32 bytes', () => {
    expect(ed25519KeyFromEcPoint(Uint8Array.of(0x04, 0x20, ...KEY))).toEqual(KEY);
    expect(ed25519KeyFromEcPoint(KEY)).toEqual(KEY);
  });

  it('refuses other lengths and tags', () => {
    expect(ed25519KeyFromEcPoint(Uint8Array.of(0x04, 0x21, ...KEY, 0))).toBeUndefined();
    expect(ed25519KeyFromEcPoint(Uint8Array.of(0x03, 0x20, ...KEY))).toBeUndefined();
    expect(ed25519KeyFromEcPoint(KEY.subarray(1))).toBeUndefined();
  });
});

describe('CKA_PUBLIC_KEY_INFO', () => {
  it('reads an Ed25519 SubjectPublicKeyInfo and refuses others', () => {
    expect(ed25519KeyFromSpki(Uint8Array.of(...hex('302a300506032b6570032100'), ...KEY))).toEqual(KEY);
    expect(ed25519KeyFromSpki(Uint8Array.of(...hex('302a300506032b6571032100'), ...KEY))).toBeUndefined();
  });
});

describe('GnuPG and node:crypto forms', () => {
  it("accepts GnuPG's Ed25519 OID 1.3.6.1.4.1.11591.15.1 (written by OpenSC)", () => {
    expect(isEdwards25519Params(hex('06092b06010401da470f01'))).toBe(true);
    expect(curveName(hex('06092b06010401da470f01'))).toBe('edwards25519');
    // GnuPG's Curve25519 (X25519) OID 1.3.6.1.4.1.3029.1.5.1 is not a signing curve.
    expect(isEdwards25519Params(hex('060a2b060104019755010501'))).toBe(false);
  });

  it('parses SubjectPublicKeyInfo with node:crypto: a P-256 key, trailing bytes and garbage are refused', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    expect(ed25519KeyFromSpki(ed)).toEqual(Uint8Array.from(ed.subarray(12)));
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
    expect(ed25519KeyFromSpki(p256)).toBeUndefined();
    expect(ed25519KeyFromSpki(Uint8Array.of(...ed, 0))).toBeUndefined();
    expect(ed25519KeyFromSpki(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });
});
