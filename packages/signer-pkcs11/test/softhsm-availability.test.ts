// The rule that keeps the SoftHSM2 suites honest: they never skip silently.
import { describe, expect, it } from 'vitest';
import { runSync } from '../../../scripts/lib/run.mjs';
import { INSTALL_HINT, softhsm, softHsmPolicy } from './softhsm.js';

describe('SoftHSM2 policy', () => {
  const install = { modulePath: '/usr/lib/softhsm/libsofthsm2.so', util: '/usr/bin/softhsm2-util' };

  it('runs when SoftHSM2 is installed, CI or not', () => {
    expect(softHsmPolicy(install, {})).toBe('run');
    expect(softHsmPolicy(install, { CI: 'true' })).toBe('run');
  });

  it('fails when SoftHSM2 is missing under CI', () => {
    expect(softHsmPolicy(undefined, { CI: 'true' })).toBe('fail');
    expect(softHsmPolicy(undefined, { CI: '1' })).toBe('fail');
  });

  it('skips visibly when SoftHSM2 is missing on a developer machine', () => {
    expect(softHsmPolicy(undefined, {})).toBe('skip');
    expect(softHsmPolicy(undefined, { CI: 'false' })).toBe('skip');
    expect(INSTALL_HINT).toContain('apt-get install softhsm2');
  });
});

describe('SoftHSM2 on this machine', () => {
  const install = softhsm;
  if (install) {
    it(`is installed (${install.modulePath}) with EdDSA support (2.6+)`, () => {
      const version = runSync(install.util, ['--version']).stdout.trim();
      const [major, minor] = version.split('.').map(Number);
      expect(major! > 2 || (major === 2 && minor! >= 6), `softhsm2-util --version = ${version}`).toBe(true);
    });
  } else if (softHsmPolicy(undefined, process.env) === 'fail') {
    it('is required under CI', () => {
      throw new Error(INSTALL_HINT);
    });
  } else {
    it.skip(`is not installed — the SoftHSM2 suites are SKIPPED. ${INSTALL_HINT}`, () => undefined);
  }
});
