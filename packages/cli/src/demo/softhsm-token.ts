/**
 * A throwaway SoftHSM2 token for the demo: its own SOFTHSM2_CONF in a temp directory, one
 * initialized token and one Ed25519 key made on the token (non-extractable).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';

const MULTIARCH = arch() === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
const MODULES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  `/usr/lib/${MULTIARCH}/softhsm/libsofthsm2.so`,
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
];

export interface SoftHsmToken {
  uri: string;
  modulePath: string;
  pinVariable: string;
  remove(): void;
}

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

/** Must run before the PKCS#11 module is first loaded: SoftHSM2 reads SOFTHSM2_CONF at C_Initialize. */
export async function createDemoToken(install: { modulePath: string; util: string }): Promise<SoftHsmToken> {
  const dir = mkdtempSync(join(tmpdir(), 'a1-demo-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const pin = `demo-${Math.random().toString(16).slice(2, 10)}`;
  const pinVariable = 'A1_DEMO_PKCS11_PIN';
  process.env[pinVariable] = pin;
  execFileSync(install.util, ['--init-token', '--free', '--label', 'a1-demo', '--so-pin', `so-${pin}`, '--pin', pin], { stdio: 'pipe', env: process.env });
  const { generateEd25519KeyPair } = await import('@a1/signer-pkcs11');
  await generateEd25519KeyPair({ module: install.modulePath, token: 'a1-demo', pin, label: 'a1-root' });
  return {
    uri: `pkcs11:token=a1-demo;object=a1-root?module-path=${install.modulePath}&pin-source=env:${pinVariable}`,
    modulePath: install.modulePath,
    pinVariable,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
