/** SoftHSM2 for tests: the module and softhsm2-util when installed (scripts/ensure-softhsm.sh installs them). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODULES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

export function findSoftHsm(): { modulePath: string; util: string } | undefined {
  const modulePath = process.env.A1_SOFTHSM2_MODULE ?? MODULES.find((p) => existsSync(p));
  if (!modulePath || !existsSync(modulePath)) return undefined;
  try {
    const util = execFileSync('sh', ['-c', 'command -v softhsm2-util'], { encoding: 'utf8' }).trim();
    return util ? { modulePath, util } : undefined;
  } catch {
    return undefined;
  }
}

/** A fresh token in `dir` with an Ed25519 key `a1-root`; returns its conf path and signer URI. */
export async function softHsmToken(install: { modulePath: string; util: string }, dir: string, pin: string, pinVariable: string) {
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync(install.util, ['--init-token', '--free', '--label', 'a1-gw', '--so-pin', `so-${pin}`, '--pin', pin], { stdio: 'pipe', env: process.env });
  const { generateEd25519KeyPair } = await import('@a1/signer-pkcs11');
  await generateEd25519KeyPair({ module: install.modulePath, token: 'a1-gw', pin, label: 'a1-root' });
  return { conf, uri: `pkcs11:token=a1-gw;object=a1-root?module-path=${install.modulePath}&pin-source=env:${pinVariable}` };
}
