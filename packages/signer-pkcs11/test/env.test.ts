import { describe, expect, it } from 'vitest';
import { SignerError } from '@a1/core';
import { optionsFromEnv, parseKeyIdHex } from '../src/env.js';
import { resolvePin } from '../src/pin.js';

const BASE = { A1_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so', A1_PKCS11_PIN: 'pin-env-5512' };

function refusal(run: () => unknown): SignerError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    expect((e as SignerError).code).toBe('Misconfigured');
    return e as SignerError;
  }
  throw new Error('expected a Misconfigured SignerError');
}

describe('optionsFromEnv', () => {
  it('reads module, token label, key label and hex id; the PIN stays in env until login', async () => {
    const env = { ...BASE, A1_PKCS11_TOKEN: 'a1', A1_PKCS11_KEY_LABEL: 'root', A1_PKCS11_KEY_ID: '01:A2' };
    const options = optionsFromEnv(env);
    expect(options).toMatchObject({ module: BASE.A1_PKCS11_MODULE, tokenLabel: 'a1', label: 'root', id: Uint8Array.of(1, 0xa2) });
    expect(JSON.stringify(options)).not.toContain(BASE.A1_PKCS11_PIN);
    expect(await resolvePin(options.pin, undefined)).toBe(BASE.A1_PKCS11_PIN);
  });

  it('selects a token by serial or slot-id', () => {
    expect(optionsFromEnv({ ...BASE, A1_PKCS11_TOKEN: 'serial=3f2a', A1_PKCS11_KEY_ID: '01' }).serial).toBe('3f2a');
    expect(optionsFromEnv({ ...BASE, A1_PKCS11_TOKEN: 'slot-id=12', A1_PKCS11_KEY_ID: '01' }).slot).toBe(12);
  });

  it('reads the pool size', () => {
    expect(optionsFromEnv({ ...BASE, A1_PKCS11_KEY_LABEL: 'k', A1_PKCS11_POOL_SIZE: '8' }).poolSize).toBe(8);
  });

  it.each([
    ['no module', { A1_PKCS11_PIN: 'x', A1_PKCS11_KEY_LABEL: 'k' }, 'A1_PKCS11_MODULE is not set'],
    ['no PIN', { A1_PKCS11_MODULE: '/m.so', A1_PKCS11_KEY_LABEL: 'k' }, 'A1_PKCS11_PIN is not set'],
    ['no key', { ...BASE }, 'A1_PKCS11_KEY_LABEL or A1_PKCS11_KEY_ID is not set'],
    ['bad id', { ...BASE, A1_PKCS11_KEY_ID: '0g' }, 'A1_PKCS11_KEY_ID must be hex'],
    ['odd id', { ...BASE, A1_PKCS11_KEY_ID: '012' }, 'A1_PKCS11_KEY_ID must be hex'],
    ['bad slot', { ...BASE, A1_PKCS11_KEY_LABEL: 'k', A1_PKCS11_TOKEN: 'slot-id=x' }, 'slot-id= must be a decimal'],
    ['bad pool', { ...BASE, A1_PKCS11_KEY_LABEL: 'k', A1_PKCS11_POOL_SIZE: '0' }, 'A1_PKCS11_POOL_SIZE'],
  ])('refuses %s, naming the variable and never the PIN', (_, env, text) => {
    const error = refusal(() => optionsFromEnv(env as NodeJS.ProcessEnv));
    expect(error.message).toContain(text);
    expect(error.message).not.toContain(BASE.A1_PKCS11_PIN);
  });

  it('fails at login time when the PIN variable was removed', async () => {
    const env: NodeJS.ProcessEnv = { ...BASE, A1_PKCS11_KEY_LABEL: 'k' };
    const options = optionsFromEnv(env);
    delete env.A1_PKCS11_PIN;
    await expect(resolvePin(options.pin, undefined)).rejects.toThrow(/A1_PKCS11_PIN is not set/);
  });
});

describe('parseKeyIdHex', () => {
  it('accepts plain, colon- and space-separated hex', () => {
    expect([...parseKeyIdHex('0a1B')]).toEqual([0x0a, 0x1b]);
    expect([...parseKeyIdHex('0a:1b')]).toEqual([0x0a, 0x1b]);
    expect([...parseKeyIdHex('0a 1b')]).toEqual([0x0a, 0x1b]);
  });
});
