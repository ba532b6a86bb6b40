/**
 * `a1-emulators azure --port N`: a Key Vault emulator with one Ed25519 key (`a1-root`), plus the
 * CA written to a temporary file so other processes can trust it (NODE_EXTRA_CA_CERTS or `ca`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultPlan } from '../faults.js';
import { startAzureKeyVault } from './key-vault-emulator.js';

export const DEMO_AZURE_KEY = 'a1-root';

export async function startAzureKeyVaultCommand(options: { port: number; host: string }): Promise<{
  describe(): unknown;
  close(): Promise<void>;
  faults: FaultPlan;
}> {
  const emulator = await startAzureKeyVault({ port: options.port, host: options.host });
  emulator.createKey({ name: DEMO_AZURE_KEY, kty: 'OKP' });
  const dir = await mkdtemp(join(tmpdir(), 'a1-azure-emulator-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, emulator.ca);
  return {
    faults: emulator.faults,
    describe: () => ({
      ...emulator.describe(),
      caFile,
      env: {
        AZURE_KEYVAULT_URL: emulator.endpoint,
        A1_AZURE_KEY: DEMO_AZURE_KEY,
        NODE_EXTRA_CA_CERTS: caFile,
      },
    }),
    async close() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
