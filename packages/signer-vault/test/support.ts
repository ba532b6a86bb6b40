/** Shared test setup: a loopback Vault emulator and cert helpers over the real @a1/core. */
import { CertBuilder, LocalSigner, authorize, intentHash, type AsyncSigner, type DelegationCert } from '@a1/core';
import { startVaultTransit, type VaultTransitEmulator, type VaultTransitEmulatorOptions } from '@a1/emulators';
import { VaultTransitSigner } from '../src/index.js';
import type { VaultTransitSignerOptions } from '../src/options.js';

export const scope = intentHash('trade.equity');

export async function startVault(options: VaultTransitEmulatorOptions = {}): Promise<VaultTransitEmulator> {
  return startVaultTransit(options);
}

export function tokenSigner(vault: VaultTransitEmulator, extra: Partial<VaultTransitSignerOptions> = {}): VaultTransitSigner {
  return new VaultTransitSigner({
    endpoint: vault.endpoint,
    keyName: 'a1-root',
    token: vault.rootToken,
    retryBaseDelayMs: 5,
    ...(vault.caCert ? { caCert: vault.caCert } : {}),
    ...extra,
  });
}

export async function issueCert(signer: AsyncSigner, options: { signal?: AbortSignal } = {}): Promise<{ cert: DelegationCert; agent: LocalSigner }> {
  const agent = LocalSigner.generate();
  const now = BigInt(Math.floor(Date.now() / 1000));
  const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n }).buildAsync(
    signer,
    options,
  );
  return { cert, agent };
}

/** Verifies a one-cert chain offline, anchored at `principalPk`; throws A1Error on failure. */
export async function verifyCert(cert: DelegationCert, agent: LocalSigner, principalPk: Uint8Array): Promise<void> {
  const now = BigInt(Math.floor(Date.now() / 1000));
  await authorize({ principalPk, principalScope: scope, certs: [cert] }, { agentPk: agent.verifyingKey(), intent: scope, now });
}

/** The rejection of `p` (fails the test if `p` resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await p;
  } catch (e) {
    return e;
  }
  throw new Error(`expected a rejection, got ${String(value)}`);
}
