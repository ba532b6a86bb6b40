/** ed25519KeyFromPem: Cloud KMS's PEM answer, parsed by node:crypto. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519KeyFromPem } from '../src/public-key.js';

const pemOf = (der: Buffer) => `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;

describe('ed25519KeyFromPem', () => {
  it('returns the raw 32-byte key of an Ed25519 PEM', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(Buffer.from(ed25519KeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as Uint8Array)).toEqual(raw);
  });

  it('names what is wrong with other keys and damaged PEMs', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(ed25519KeyFromPem(p256)).toMatch(/not Ed25519/);
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(ed25519KeyFromPem(pemOf(x25519))).toMatch(/X25519.*not Ed25519/);
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(ed25519KeyFromPem(pemOf(Buffer.concat([ed, Buffer.from([0])])))).toMatch(/not an SPKI|canonical/);
    expect(ed25519KeyFromPem(pemOf(ed.subarray(0, 40)))).toMatch(/not an SPKI/);
    expect(ed25519KeyFromPem('not a pem')).toMatch(/single PUBLIC KEY block/);
  });
});
