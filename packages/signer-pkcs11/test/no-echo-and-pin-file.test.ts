// Red-team L6 and L7 (/tmp/redteam/pkcs11-secrets.mjs): parts of a pkcs11: URI that may hold a PIN
// were echoed in errors, and the PIN file was read without a look at what it is (a FIFO hung).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignerError } from '@a1/core';
import { parsePkcs11Uri } from '../src/uri.js';
import { pinFromRef, resolvePin } from '../src/pin.js';
import { MAX_PIN_FILE_BYTES } from '../src/pin-file.js';
import { everyRendering } from './secrets.js';

const PIN = '77123999';

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

describe('pkcs11: URI errors name the kind of part, never its text', () => {
  it.each([
    ['a PIN as a query attribute name', `pkcs11:object=k?module-path=/m.so&${PIN}=pin`, /an unknown query attribute \(not shown/],
    ['a PIN as a query attribute with a value', `pkcs11:object=k?${PIN}=x`, /an unknown query attribute \(not shown/],
    ['a PIN as a path attribute name', `pkcs11:token=rt;${PIN}=x`, /an unknown path attribute \(not shown/],
    ['a bare PIN in the path', `pkcs11:token=rt;${PIN}`, /path attribute without a name=value form/],
    ['a bare PIN in the query', `pkcs11:token=rt?${PIN}`, /query attribute without a name=value form/],
    ['a PIN as pin-source', `pkcs11:token=rt?pin-source=${PIN}`, /pin-source must be/],
    ['a PIN after a bad escape', `pkcs11:token=rt?pin-value=%zz${PIN}`, /bad %-escape in pin-value/],
  ])('%s', (_, uri, message) => {
    const error = refusal(() => parsePkcs11Uri(uri));
    expect(error.message).toMatch(message);
    expect(everyRendering(error)).not.toContain(PIN);
  });

  it('lists the known attributes so a typo is easy to fix', () => {
    expect(refusal(() => parsePkcs11Uri('pkcs11:token=a?modul-path=/m.so')).message).toMatch(/known query attributes are module-path, module-name, pin-source, pin-value/);
  });
});

describe('PIN files: a regular file of at most 64 KiB, read asynchronously; the path is never shown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a1-pkcs11-pin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pinError = (path: string) =>
    resolvePin(pinFromRef({ kind: 'file', path }, {}), undefined).then(
      () => {
        throw new Error('expected the PIN file to be refused');
      },
      (e: unknown) => e as SignerError,
    );

  it('reads a PIN file (trailing newline dropped)', async () => {
    const file = join(dir, 'pin');
    writeFileSync(file, `${PIN}\n`, { mode: 0o600 });
    expect(await resolvePin(pinFromRef({ kind: 'file', path: file }, {}), undefined)).toBe(PIN);
  });

  it('refuses a FIFO at once instead of waiting forever for a writer', async () => {
    const fifo = join(dir, PIN); // the path itself looks like a PIN: it must not be printed either
    execFileSync('mkfifo', [fifo]);
    const error = await pinError(fifo);
    expect(error).toBeInstanceOf(SignerError);
    expect(error.code).toBe('Misconfigured');
    expect(error.message).toMatch(/the PIN file is not a regular file/);
    expect(everyRendering(error)).not.toContain(PIN);
  });

  it('refuses a file larger than 64 KiB, and a directory', async () => {
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(MAX_PIN_FILE_BYTES + 1, 0x31));
    expect((await pinError(big)).message).toMatch(/the PIN file is larger than 65536 bytes/);
    expect((await pinError(dir)).message).toMatch(/not a regular file/);
  });

  it('a missing file names the error code, not the path (pin-source=/<pin>)', async () => {
    const error = await pinError(`/${PIN}`);
    expect(error.message).toMatch(/the PIN file cannot be opened \(ENOENT\)/);
    expect(everyRendering(error)).not.toContain(PIN);
  });

  it('a PIN variable name that is not a conventional name is not shown', async () => {
    const error = await resolvePin(pinFromRef({ kind: 'env', name: `p${PIN}` }, {}), undefined).catch((e: unknown) => e) as SignerError;
    expect(error.message).toMatch(/PIN variable \(name not shown\) is not set/);
    expect(everyRendering(error)).not.toContain(PIN);
    const named = await resolvePin(pinFromRef({ kind: 'env', name: 'A1_PKCS11_PIN' }, {}), undefined).catch((e: unknown) => e) as SignerError;
    expect(named.message).toMatch(/A1_PKCS11_PIN is not set/);
  });
});
