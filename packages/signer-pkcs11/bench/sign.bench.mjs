// Signs per second through SoftHSM2 (Pkcs11Signer) at concurrency 1 and 8, next to LocalSigner,
// from one run. Needs `pnpm build` and SoftHSM2 (scripts/ensure-softhsm.sh). Prints a table.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSigner, verifyEd25519 } from '@a1/core';
import pkcs11js from 'pkcs11js';
import { Pkcs11Signer, generateEd25519KeyPair } from '../dist/index.js';
import { benchReport } from '../../../scripts/bench/report.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const PIN = 'bench-pin-4412';
const modulePath = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so'].find(existsSync);
if (!modulePath) {
  console.error('SoftHSM2 not found: run scripts/ensure-softhsm.sh (or apt-get install softhsm2)');
  process.exit(1);
}

// A throwaway token, as in the tests.
const dir = mkdtempSync(join(tmpdir(), 'a1-bench-'));
mkdirSync(join(dir, 'tokens'));
process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
writeFileSync(process.env.SOFTHSM2_CONF, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--so-pin', 'so-bench-1', '--pin', PIN], { stdio: 'pipe' });
const { publicKey } = await generateEd25519KeyPair({ module: modulePath, token: 'bench', pin: PIN, label: 'root' });

/** Runs `sign` from `concurrency` loops for SECONDS; returns signs per second. */
async function measure(sign, concurrency) {
  const message = new Uint8Array(32).fill(7);
  for (let i = 0; i < 20; i++) await sign(message); // warm-up
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await sign(message);
        count += 1;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const local = LocalSigner.generate();
const localSign = async (m) => local.signMessage(m);
const rows = [];
for (const concurrency of [1, 8]) {
  const hsm = new Pkcs11Signer({ module: modulePath, tokenLabel: 'bench', pin: PIN, label: 'root', poolSize: Math.max(concurrency, 1) });
  const check = new Uint8Array([1, 2, 3]);
  if (!verifyEd25519(publicKey, check, await hsm.signMessage(check))) throw new Error('SoftHSM2 signature does not verify');
  const pkcs11 = await measure((m) => hsm.signMessage(m), concurrency);
  const opened = hsm.sessionStats()?.opened;
  await hsm.close();
  const localRate = await measure(localSign, concurrency);
  rows.push({ concurrency, pkcs11, local: localRate, opened });
}

// Baseline: bare synchronous C_SignInit + C_Sign on one session, no pool, no worker thread
// (what the signer costs on top of SoftHSM2 itself). Runs after every signer closed the module.
function rawSyncRate() {
  const api = new pkcs11js.PKCS11();
  api.load(modulePath);
  api.C_Initialize();
  try {
    const slot = api.C_GetSlotList(true).find((s) => api.C_GetTokenInfo(s).label.trimEnd() === 'bench');
    const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    api.C_Login(session, pkcs11js.CKU_USER, PIN);
    api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_LABEL, value: 'root' }]);
    const [key] = api.C_FindObjects(session, 1);
    api.C_FindObjectsFinal(session);
    const message = Buffer.alloc(32, 7);
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < SECONDS * 1000) {
      api.C_SignInit(session, { mechanism: 0x1057 }, key);
      api.C_Sign(session, message, Buffer.alloc(64));
      count += 1;
    }
    const rate = count / ((performance.now() - started) / 1000);
    api.C_Logout(session);
    api.C_CloseSession(session);
    return rate;
  } finally {
    api.C_Finalize();
    api.close();
  }
}
const raw = rawSyncRate();
rmSync(dir, { recursive: true, force: true });

const report = benchReport('@a1/signer-pkcs11', 'Ed25519 signs per second through SoftHSM2 (Pkcs11Signer), next to LocalSigner');
report.context({ 'seconds per cell': SECONDS, softhsm2: execFileSync('softhsm2-util', ['--version'], { encoding: 'utf8' }).trim() });
report.table('signs per second', ['concurrency', 'Pkcs11Signer (SoftHSM2)', 'LocalSigner', 'sessions opened'], rows.map((r) => [r.concurrency, r.pkcs11, r.local, r.opened]));
report.table('baseline, no signer', ['what', 'signs per second'], [['bare synchronous C_Sign on one session', raw]]);
report.done(); // no ratio target: the numbers are SoftHSM2's, shown for scale
