/**
 * A throwaway SoftHSM2 token with an Ed25519 key made by the installed package's own
 * `a1-pkcs11-keygen`, or null when SoftHSM2 is not installed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../lib/run.mjs';

const MODULES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];
const TOKEN = 'a1-pack-test';
const PIN = 'pin-4c7e1a';

/** `keygen`: the command (and leading arguments) that runs a1-pkcs11-keygen; default the project's. */
export async function prepareSoftHsmToken(projectDir, tokenDir, { keygen = [join(projectDir, 'node_modules', '.bin', 'a1-pkcs11-keygen')] } = {}) {
  const module = MODULES.find((path) => existsSync(path));
  if (!module) return null;
  let version;
  try {
    version = (await run('softhsm2-util', ['--version'])).stdout.trim();
  } catch {
    return null;
  }
  mkdirSync(join(tokenDir, 'tokens'), { recursive: true });
  const conf = join(tokenDir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(tokenDir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf, A1_PKCS11_MODULE: module, A1_PKCS11_TOKEN: TOKEN, A1_PKCS11_PIN: PIN, A1_PKCS11_KEY_LABEL: 'a1-root' };
  await run('softhsm2-util', ['--init-token', '--free', '--label', TOKEN, '--so-pin', 'so-pin-9d2b', '--pin', PIN], { env });
  const [command, ...args] = keygen;
  await run(command, [...args, '--label', 'a1-root'], { cwd: projectDir, env });
  return {
    version: `SoftHSM2 ${version}`,
    env: { SOFTHSM2_CONF: conf, A1_PKCS11_MODULE: module, A1_PKCS11_TOKEN: TOKEN, A1_PKCS11_PIN: PIN, A1_PKCS11_KEY_LABEL: 'a1-root' },
  };
}
