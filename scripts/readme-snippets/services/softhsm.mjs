// A throwaway SoftHSM2 token holding an Ed25519 key "a1-root", made with the package's own
// a1-pkcs11-keygen; the snippet gets SOFTHSM2_CONF and the A1_PKCS11_* variables. Installed by
// scripts/ensure-softhsm.sh; missing, the snippet fails with that hint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareSoftHsmToken } from '../../pack/softhsm.mjs';

const keygen = fileURLToPath(new URL('../../../packages/signer-pkcs11/bin/a1-pkcs11-keygen.js', import.meta.url));

export async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'a1-snippet-softhsm-'));
  const token = await prepareSoftHsmToken(dir, dir, { keygen: [process.execPath, keygen] });
  if (!token) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('SoftHSM2 is not installed; install it: scripts/ensure-softhsm.sh as root, or apt-get install softhsm2');
  }
  return { env: token.env, stop: async () => rmSync(dir, { recursive: true, force: true }) };
}
