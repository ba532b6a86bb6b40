import { describe, expect, it } from 'vitest';
import { SignerError } from '@a1/core';
import { formatPkcs11Uri, parsePkcs11Uri } from '../src/uri.js';
import { optionsFromUri } from '../src/uri-options.js';

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

function misconfigured(run: () => unknown): SignerError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    expect((e as SignerError).code).toBe('Misconfigured');
    expect((e as SignerError).provider).toBe('pkcs11');
    return e as SignerError;
  }
  throw new Error('expected a Misconfigured SignerError');
}

describe('parsePkcs11Uri (RFC 7512)', () => {
  it('reads the example from the issue', () => {
    expect(parsePkcs11Uri(`pkcs11:token=a1;object=root?module-path=${SOFTHSM}&pin-source=env:A1_PKCS11_PIN`)).toEqual({
      token: 'a1',
      object: 'root',
      modulePath: SOFTHSM,
      pinSource: { kind: 'env', name: 'A1_PKCS11_PIN' },
    });
  });

  it('percent-decodes text values as UTF-8 and ids as raw bytes', () => {
    const parsed = parsePkcs11Uri('pkcs11:token=My%20Token%3B%E2%9C%93;object=r%C3%B6ot;id=%01%A2%ff;serial=0a1b');
    expect(parsed.token).toBe('My Token;✓');
    expect(parsed.object).toBe('röot');
    expect([...parsed.id!]).toEqual([0x01, 0xa2, 0xff]);
    expect(parsed.serial).toBe('0a1b');
  });

  it('takes literal id characters as their bytes', () => {
    expect([...parsePkcs11Uri('pkcs11:id=ab').id!]).toEqual([0x61, 0x62]);
  });

  it('reads slot-id, type, library attributes and vendor x- attributes', () => {
    const parsed = parsePkcs11Uri('pkcs11:slot-id=1697021651;type=private;library-manufacturer=SoftHSM;x-vendor=1;object=k');
    expect(parsed).toEqual({ slotId: 1697021651, type: 'private', object: 'k' });
  });

  it('accepts pin-source file forms and pin-value', () => {
    expect(parsePkcs11Uri('pkcs11:object=k?pin-source=file:/run/pin').pinSource).toEqual({ kind: 'file', path: '/run/pin' });
    expect(parsePkcs11Uri('pkcs11:object=k?pin-source=file:///run/pin').pinSource).toEqual({ kind: 'file', path: '/run/pin' });
    expect(parsePkcs11Uri('pkcs11:object=k?pin-source=/run/pin').pinSource).toEqual({ kind: 'file', path: '/run/pin' });
    expect(parsePkcs11Uri('pkcs11:object=k?pin-value=12%2634').pinValue).toBe('12&34');
  });

  it('is case-insensitive in the scheme and attribute names', () => {
    expect(parsePkcs11Uri('PKCS11:Token=a1;OBJECT=root').token).toBe('a1');
  });

  it.each([
    ['not a pkcs11 URI', 'https://example.com', 'must start with'],
    ['bad escape', 'pkcs11:token=a%1', 'bad %-escape in token'],
    ['bad UTF-8', 'pkcs11:token=%ff', 'token is not valid UTF-8'],
    ['unknown attribute', 'pkcs11:tokn=a1', 'an unknown path attribute (not shown: it may hold a secret); known path attributes are token,'],
    ['unknown query attribute', 'pkcs11:token=a1?pin=1', 'an unknown query attribute (not shown: it may hold a secret); known query attributes are module-path, module-name, pin-source, pin-value'],
    ['duplicate attribute', 'pkcs11:token=a;token=b', 'appears twice'],
    ['bad slot-id', 'pkcs11:slot-id=one', 'slot-id must be a decimal number'],
    ['bad type', 'pkcs11:type=key', 'type must be one of'],
    ['empty id', 'pkcs11:id=', 'id is empty'],
    ['relative pin file', 'pkcs11:object=k?pin-source=file:pin.txt', 'absolute path'],
    ['bad pin env', 'pkcs11:object=k?pin-source=env:1X', 'environment variable name'],
    ['unknown pin source', 'pkcs11:object=k?pin-source=vault:x', 'pin-source must be'],
    ['both pin forms', 'pkcs11:object=k?pin-source=env:P&pin-value=1234', 'not both'],
    ['no name=value', 'pkcs11:token', 'name=value'],
    ['fragment', 'pkcs11:token=a#x', 'fragments'],
  ])('refuses %s with a message naming it', (_, uri, text) => {
    expect(misconfigured(() => parsePkcs11Uri(uri)).message).toContain(text);
  });

  it('never echoes a pin-value, even a malformed one', () => {
    const error = misconfigured(() => parsePkcs11Uri('pkcs11:object=k?pin-value=secret-pin-99%zz'));
    expect(error.message).toContain('pin-value');
    expect(error.message).not.toContain('secret-pin-99');
  });
});

describe('formatPkcs11Uri', () => {
  it('round-trips through parsePkcs11Uri', () => {
    const parts = { token: 'My Token;?%', object: 'röot', id: Uint8Array.of(0, 0x61, 0xff), type: 'private' as const, slotId: 7 };
    const uri = formatPkcs11Uri(parts);
    expect(uri).toBe('pkcs11:token=My%20Token%3b%3f%25;slot-id=7;object=r%c3%b6ot;id=%00%61%ff;type=private');
    expect(parsePkcs11Uri(uri)).toEqual(parts);
  });
});

describe('optionsFromUri', () => {
  it('maps token and key attributes to signer options and reads the PIN lazily from env', async () => {
    const env: NodeJS.ProcessEnv = {};
    const options = optionsFromUri(`pkcs11:token=a1;object=root;id=%01?module-path=${SOFTHSM}&pin-source=env:A1_PKCS11_PIN`, { env });
    expect(options).toMatchObject({ module: SOFTHSM, tokenLabel: 'a1', label: 'root', id: Uint8Array.of(1) });
    expect(typeof options.pin).toBe('function');
    env.A1_PKCS11_PIN = 'pin-set-later';
    expect(await (options.pin as () => Promise<string>)()).toBe('pin-set-later');
  });

  it('uses pin-value with a warning that does not contain it', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name} ${w.message}`);
    process.on('warning', onWarning);
    const options = optionsFromUri(`pkcs11:object=root?module-path=${SOFTHSM}&pin-value=pin-in-uri-42`);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(options.pin).toBe('pin-in-uri-42');
    expect(warnings.join('\n')).toContain('pin-value');
    expect(warnings.join('\n')).not.toContain('pin-in-uri-42');
  });

  it.each([
    ['a public key', `pkcs11:object=k;type=public?module-path=${SOFTHSM}&pin-source=env:P`, 'type=public cannot sign'],
    ['no module', 'pkcs11:object=k?pin-source=env:P', 'no module-path'],
    ['module-name only', 'pkcs11:object=k?module-name=softhsm2&pin-source=env:P', 'module-name is not resolved'],
    ['no PIN', `pkcs11:object=k?module-path=${SOFTHSM}`, 'no pin-source'],
    ['no key', `pkcs11:token=a1?module-path=${SOFTHSM}&pin-source=env:P`, 'object= and/or id='],
  ])('refuses %s', (_, uri, text) => {
    expect(misconfigured(() => optionsFromUri(uri, { env: {} })).message).toContain(text);
  });

  it('fills module and PIN from the context when the URI leaves them out', () => {
    const options = optionsFromUri('pkcs11:token=a1;object=root', { module: SOFTHSM, pin: 'ctx-pin-1234' });
    expect(options).toMatchObject({ module: SOFTHSM, pin: 'ctx-pin-1234', tokenLabel: 'a1', label: 'root' });
  });
});
