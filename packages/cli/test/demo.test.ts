// The README's main command: the demo runs end to end on loopback (CI=true) and prints the table,
// the refusals and the rotation scene; it leaves no temp directories behind.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSoftHsm } from '../src/demo/softhsm-token.js';
import { baseEnv, json, PACKAGE_DIR, runA1 } from './helpers.js';

function runDemo(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(PACKAGE_DIR, 'dist', 'demo.js')], { env: baseEnv({ CI: 'true' }), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const demoDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('a1-demo-softhsm-') || d.startsWith('a1-azure-emulator-'));

describe('demo', () => {
  it('issues on every backend, verifies offline, refuses the forgeries, rotates Vault', async () => {
    const before = demoDirs();
    const { code, stdout, stderr } = await runDemo();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/backend\s+key id\s+public key\s+sign calls\s+verify\s+forbidden\s+tampered/);
    const backends = ['AWS KMS', 'Cloud KMS', 'Vault Transit', 'Azure Managed HSM*', ...(findSoftHsm() ? ['PKCS#11 (SoftHSM2)'] : [])];
    for (const name of backends) {
      const row = stdout.split('\n').find((line) => line.startsWith(name) && / ok /.test(line));
      expect(row, `table row for ${name}`).toBeDefined();
      expect(row).toMatch(/[0-9a-f]{16}…\s+2\s+ok\s+ScopeViolation\s+InvalidSignature/);
    }
    if (!findSoftHsm()) expect(stdout).toContain('SoftHSM2 is not installed');
    expect(stdout).toContain('asking for audit.read: ScopeEscalation');
    // The glossary comes first; the Azure row says what it is (issue 11, demo items).
    expect(stdout.indexOf('What is A1')).toBeLessThan(stdout.indexOf('Backends ('));
    for (const term of ['passport', 'principal', 'holder', 'cert / hop', 'chain', 'scope', 'narrowing', 'ScopeEscalation', 'ScopeViolation', 'clock-skew tolerance']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${term.replace('/', '\\/')}\\s`));
    }
    expect(stdout).toContain('refused when ISSUING');
    expect(stdout).toContain('refused when VERIFYING');
    expect(stdout).toContain('* Azure: the Managed HSM preview contract (OKP/Ed25519 keys, api-version 7.4-preview.1) on the loopback emulator');
    expect(stdout).toContain('generally available Azure Key Vault has no Ed25519 keys');
    expect(stdout).toContain("bytes of the reference's JSON: {\"version\":1,\"principal_pk\"");
    expect(stdout).toMatch(/old chain .*still verifies; after it expires .*: Expired/);
    expect(stdout).toMatch(/new chain .*: verifies; presented as the old key's: RootMismatch/);
    expect(stdout).toMatch(/Done in [\d.]+s/);
    expect(demoDirs()).toEqual(before);
  });

  it('a1 demo --json: the narrative on stderr, the summary as JSON on stdout', async () => {
    const result = await runA1(['demo', '--json'], { env: baseEnv({ CI: 'true' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Key rotation on Vault');
    const summary = json<{ ok: boolean; backends: Array<{ backend: string; verify: string; forbidden: string; tampered: string; sign_calls: number }> }>(result.stdout);
    expect(summary.ok).toBe(true);
    expect(summary.backends.length).toBe(findSoftHsm() ? 5 : 4);
    for (const b of summary.backends) expect(b).toMatchObject({ verify: 'ok', forbidden: 'ScopeViolation', tampered: 'InvalidSignature', sign_calls: 2 });
  });
});
