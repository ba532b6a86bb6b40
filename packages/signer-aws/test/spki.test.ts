import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEd25519Spki } from '../src/index.js';

describe('parseEd25519Spki', () => {
  it('extracts the 32-byte key from the 44-byte DER that GetPublicKey returns', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(Buffer.from(parseEd25519Spki(new Uint8Array(der))!)).toEqual(raw);
  });

  it('refuses other key types, wrong lengths and a damaged prefix', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    expect(parseEd25519Spki(new Uint8Array(p256))).toBeUndefined();
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(x25519).toHaveLength(44);
    expect(parseEd25519Spki(new Uint8Array(x25519))).toBeUndefined();
    const ed = new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }));
    expect(parseEd25519Spki(ed.subarray(0, 43))).toBeUndefined();
    expect(parseEd25519Spki(new Uint8Array([...ed, 0]))).toBeUndefined();
    const damaged = ed.slice();
    damaged[8] = 0x71;
    expect(parseEd25519Spki(damaged)).toBeUndefined();
  });
});
