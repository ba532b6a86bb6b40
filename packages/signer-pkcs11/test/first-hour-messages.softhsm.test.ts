// Issue 11, messages 5 and 6: what a newcomer sees when SoftHSM2 has no configuration, and when a
// pkcs11: URI names no library. Each message says what to do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignerError } from '@a1/core';
import { Pkcs11Signer } from '../src/signer.js';
import { initializeHint, SOFTHSM2_DEFAULT_CONF } from '../src/initialize-hint.js';
import { optionsFromUri } from '../src/uri-options.js';
import { loadedModules } from '../src/module-registry.js';
import { describeWithSoftHsm } from './softhsm.js';

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

describe('a pkcs11: URI without a module', () => {
  it('shows the ?module-path=/path/lib.so form and the environment variable', () => {
    let message = '';
    try {
      optionsFromUri('pkcs11:token=a1;object=root?pin-source=env:A1_PKCS11_PIN', { env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(SignerError);
      message = (error as SignerError).message;
    }
    expect(message).toContain('no module-path');
    expect(message).toContain('?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:A1_PKCS11_PIN');
    expect(message).toContain('A1_PKCS11_MODULE=/path/lib.so');
  });

  it('takes the library from A1_PKCS11_MODULE when the URI leaves it out', () => {
    const options = optionsFromUri('pkcs11:object=root?pin-source=env:P', { env: { A1_PKCS11_MODULE: SOFTHSM, P: 'x' } });
    expect(options.module).toBe(SOFTHSM);
  });
});

describe('the SoftHSM2 C_Initialize hint (pure)', () => {
  it('with SOFTHSM2_CONF unset: names the default file SoftHSM2 read and says to set SOFTHSM2_CONF', () => {
    const hint = initializeHint(SOFTHSM, 'CKR_GENERAL_ERROR', {});
    expect(hint).toContain('SOFTHSM2_CONF is not set');
    expect(hint).toContain(SOFTHSM2_DEFAULT_CONF);
    expect(hint).toMatch(/set SOFTHSM2_CONF to your softhsm2\.conf/);
  });

  it('with SOFTHSM2_CONF naming a missing file, or an unusable one', () => {
    expect(initializeHint(SOFTHSM, 'CKR_GENERAL_ERROR', { SOFTHSM2_CONF: '/x/none.conf' }, () => false)).toMatch(
      /"\/x\/none\.conf", which does not exist/,
    );
    expect(initializeHint(SOFTHSM, 'CKR_GENERAL_ERROR', { SOFTHSM2_CONF: '/x/a.conf' }, () => true)).toMatch(
      /directories\.tokendir exists and is writable/,
    );
  });

  it('stays out of the way for other libraries and other return values', () => {
    expect(initializeHint('/opt/cloudhsm/lib/libcloudhsm_pkcs11.so', 'CKR_GENERAL_ERROR', {})).toBeUndefined();
    expect(initializeHint(SOFTHSM, 'CKR_ARGUMENTS_BAD', {})).toBeUndefined();
  });
});

describeWithSoftHsm('SoftHSM2 without a usable configuration (real library)', ({ modulePath }) => {
  const dir = mkdtempSync(join(tmpdir(), 'a1-softhsm-noconf-'));
  const saved = process.env.SOFTHSM2_CONF;
  afterAll(() => {
    if (saved === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('CKR_GENERAL_ERROR comes with what to do, not alone', async () => {
    // SoftHSM2 reads SOFTHSM2_CONF at C_Initialize; nothing else in this file initialized it.
    process.env.SOFTHSM2_CONF = join(dir, 'missing-softhsm2.conf');
    const signer = new Pkcs11Signer({ module: modulePath, pin: 'unused-pin-1', label: 'root' });
    const error = await signer.verifyingKey().catch((e: unknown) => e as SignerError);
    expect(error).toBeInstanceOf(SignerError);
    expect((error as SignerError).message).toContain('CKR_GENERAL_ERROR');
    expect((error as SignerError).message).toMatch(/SOFTHSM2_CONF is ".*missing-softhsm2\.conf", which does not exist/);
    expect((error as SignerError).message).not.toContain('unused-pin-1');
    await signer.close();
    expect(loadedModules()).toEqual([]); // a failed initialize leaves nothing loaded
  });
});
