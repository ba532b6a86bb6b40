/**
 * `a1-emulators vault [--port N]`: a Vault with the transit engine, one demo Ed25519 key
 * (`transit/keys/a1-root`) and one AppRole, printed as JSON so a shell can export VAULT_*.
 */
import type { FaultPlan } from '../faults.js';
import { startVaultTransit } from './server.js';

export async function startVaultCommand(opts: { port: number; host: string }): Promise<{
  describe(): unknown;
  close(): Promise<void>;
  faults: FaultPlan;
}> {
  const vault = await startVaultTransit({ port: opts.port, host: opts.host });
  vault.createKey({ name: 'a1-root', type: 'ed25519' });
  const role = vault.addAppRole({ tokenTtlSeconds: 3600 });
  return {
    faults: vault.faults,
    describe: () => ({
      ...vault.describe(),
      env: {
        VAULT_ADDR: vault.endpoint,
        VAULT_TOKEN: vault.rootToken,
        VAULT_ROLE_ID: role.roleId,
        VAULT_SECRET_ID: role.secretId,
        A1_VAULT_KEY: 'a1-root',
      },
    }),
    close: () => vault.close(),
  };
}
