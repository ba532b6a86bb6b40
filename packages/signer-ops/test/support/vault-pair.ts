/**
 * Two Vault emulators holding the same Transit key, as two Vault clusters do after Vault's own way
 * of moving a key (`GET transit/backup/<name>` on one, `POST transit/restore` on the other:
 * https://developer.hashicorp.com/vault/api-docs/secret/transit#backup-key). The emulator serves
 * neither route, so the test copies the key's versions from one emulator's key store to the
 * other's — the one step that is not over the wire; every signature is.
 */
import { startVaultTransit, type VaultTransitEmulator } from '@a1/emulators';
import { VaultTransitSigner } from '@a1/signer-vault';

export const KEY_NAME = 'a1-root';

export async function startVault(): Promise<VaultTransitEmulator> {
  const vault = await startVaultTransit();
  vault.createKey({ name: KEY_NAME });
  return vault;
}

/** Makes `replica`'s key hold exactly `primary`'s key versions. */
export function restoreKey(primary: VaultTransitEmulator, replica: VaultTransitEmulator): void {
  type Versions = { versions: unknown[] };
  const from = primary.getKey(KEY_NAME) as unknown as Versions;
  const to = replica.getKey(KEY_NAME) as unknown as Versions;
  to.versions.splice(0, to.versions.length, ...from.versions);
}

/** A Vault signer with short retries, so a down or throttled member gives up quickly. */
export function vaultSigner(vault: VaultTransitEmulator, overrides: Record<string, unknown> = {}): VaultTransitSigner {
  return new VaultTransitSigner({
    endpoint: vault.endpoint,
    keyName: KEY_NAME,
    token: vault.rootToken,
    retryBaseDelayMs: 5,
    maxRetries: 1,
    retryDeadlineMs: 2_000,
    timeoutMs: 30_000,
    ...overrides,
  });
}
