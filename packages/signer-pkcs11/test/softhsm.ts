/**
 * A real SoftHSM2 token for the tests: a throwaway token directory (SOFTHSM2_CONF points at a temp
 * config), `softhsm2-util --init-token`, and helpers to put keys on it.
 *
 * Availability decides how the SoftHSM suites run: present → they run; missing under CI=true →
 * a failing test; missing elsewhere → one visible skipped test with the install hint.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { describe, it } from 'vitest';
import { runSync } from '../../../scripts/lib/run.mjs';
import { acquireModule } from '../src/module-registry.js';
import { findTokenSlot } from '../src/token.js';

export const INSTALL_HINT =
  'SoftHSM2 is not installed. Install it with `sudo apt-get install softhsm2` (Debian/Ubuntu), ' +
  '`brew install softhsm` (macOS) or run `scripts/ensure-softhsm.sh` as root.';

const MULTIARCH = arch() === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
// A1_SOFTHSM2_MODULE replaces the search (a custom build, or a missing path to try the skip/fail paths).
const MODULE_CANDIDATES = process.env.A1_SOFTHSM2_MODULE ? [process.env.A1_SOFTHSM2_MODULE] : [
  '/usr/lib/softhsm/libsofthsm2.so',
  `/usr/lib/${MULTIARCH}/softhsm/libsofthsm2.so`,
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
];

export interface SoftHsmInstall {
  modulePath: string;
  util: string;
}

function findUtil(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v softhsm2-util'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function detectSoftHsm(): SoftHsmInstall | undefined {
  const modulePath = MODULE_CANDIDATES.find((p): p is string => !!p && existsSync(p));
  const util = findUtil();
  return modulePath && util ? { modulePath, util } : undefined;
}

export const softhsm = detectSoftHsm();

/** What a SoftHSM2 suite does: run, fail (missing on CI) or skip visibly (missing elsewhere). */
export function softHsmPolicy(install: SoftHsmInstall | undefined, env: NodeJS.ProcessEnv): 'run' | 'fail' | 'skip' {
  if (install) return 'run';
  const ci = (env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false' ? 'fail' : 'skip';
}

/**
 * `describe` for suites that need SoftHSM2. Never a silent skip: CI fails, a laptop shows one
 * skipped test that says how to install it.
 */
export function describeWithSoftHsm(name: string, body: (install: SoftHsmInstall) => void): void {
  const policy = softHsmPolicy(softhsm, process.env);
  if (softhsm && policy === 'run') {
    describe(name, () => body(softhsm));
  } else if (policy === 'fail') {
    describe(name, () => {
      it('needs SoftHSM2 (CI=true: a missing SoftHSM2 fails the run)', () => {
        throw new Error(INSTALL_HINT);
      });
    });
  } else {
    describe(name, () => {
      it.skip(`SKIPPED — ${INSTALL_HINT}`, () => undefined);
    });
    console.warn(`[@a1/signer-pkcs11] ${name}: SKIPPED. ${INSTALL_HINT}`);
  }
}

export const SO_PIN = 'so-pin-5e81d0';
export const USER_PIN = 'pin-7f3a9c';

export interface TestToken {
  modulePath: string;
  label: string;
  dir: string;
  remove(): void;
}

/**
 * Points SoftHSM2 at a fresh token directory and initializes tokens in it. Must run before the
 * module is first initialized in this process: SoftHSM2 reads SOFTHSM2_CONF at C_Initialize.
 */
export function createTokens(install: SoftHsmInstall, labels: string[]): TestToken[] {
  const dir = mkdtempSync(join(tmpdir(), 'a1-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  for (const label of labels) {
    runSync(install.util, ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', USER_PIN], {
      env: { ...process.env, SOFTHSM2_CONF: conf },
    });
  }
  return labels.map((label) => ({
    modulePath: install.modulePath,
    label,
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }));
}

/** Runs `work` in a logged-in R/W session on the token, through the shared module registry. */
export async function withTokenSession<T>(token: TestToken, work: (api: pkcs11js.PKCS11, session: Buffer, slot: Buffer) => T | Promise<T>): Promise<T> {
  const lease = acquireModule(token.modulePath);
  const slot = findTokenSlot(lease.api, { tokenLabel: token.label }, undefined);
  const session = lease.api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  lease.login(slot, session, USER_PIN, undefined, true);
  try {
    return await work(lease.api, session, slot);
  } finally {
    lease.logout(slot, session);
    try {
      lease.api.C_CloseSession(session);
    } catch {
      // the test may have closed it on purpose
    }
    lease.release();
  }
}

/** Attributes both halves of a persistent test key pair share. */
function tokenKeyAttributes(label: string, id: number): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: Buffer.from([id]) },
  ];
}

/** A P-256 (CKK_EC) key pair, to prove the signer refuses non-Ed25519 keys. */
export function generateP256(api: pkcs11js.PKCS11, session: Buffer, label: string, id: number): void {
  const common = tokenKeyAttributes(label, id);
  api.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
    [...common, { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') }, { type: pkcs11js.CKA_VERIFY, value: true }],
    [...common, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true }],
  );
}

/** A 2048-bit RSA key pair, likewise. */
export function generateRsa(api: pkcs11js.PKCS11, session: Buffer, label: string, id: number): void {
  const common = tokenKeyAttributes(label, id);
  api.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      ...common,
      { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      { type: pkcs11js.CKA_VERIFY, value: true },
    ],
    [...common, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true }],
  );
}

/** Deletes every object with this label (a key vanishing behind the signer's back). */
export function destroyObjects(api: pkcs11js.PKCS11, session: Buffer, label: string): number {
  api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: label }]);
  const objects = api.C_FindObjects(session, 10);
  api.C_FindObjectsFinal(session);
  for (const object of objects) api.C_DestroyObject(session, object);
  return objects.length;
}

/** Renames every object labelled `from`. */
export function relabel(api: pkcs11js.PKCS11, session: Buffer, from: string, to: string): void {
  api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: from }]);
  const objects = api.C_FindObjects(session, 10);
  api.C_FindObjectsFinal(session);
  for (const object of objects) api.C_SetAttributeValue(session, object, [{ type: pkcs11js.CKA_LABEL, value: to }]);
}
