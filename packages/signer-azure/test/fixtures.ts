/**
 * Shared test setup: a Key Vault emulator over HTTPS and signers built on the real Azure SDK,
 * trusting only the emulator's CA.
 */
import { inspect } from 'node:util';
import { startAzureKeyVault, type AzureKeyVaultEmulator } from '@a1/emulators';
import { AzureKeyVaultSigner, type AzureClientOptions, type AzureKeyVaultSignerOptions } from '../src/index.js';

export async function startVault(): Promise<AzureKeyVaultEmulator> {
  return startAzureKeyVault();
}

/**
 * What a client needs for the emulator: its CA, and `disableChallengeResourceVerification`
 * because the challenge names `https://vault.azure.net` while the emulator's host is
 * 127.0.0.1, not a *.vault.azure.net host. The SDK's own retries stay off (the signer's default).
 */
export function emulatorClientOptions(emu: AzureKeyVaultEmulator, extra: AzureClientOptions = {}): AzureClientOptions {
  return {
    tlsOptions: { ca: emu.ca },
    disableChallengeResourceVerification: true,
    ...extra,
  };
}

export function signerFor(
  emu: AzureKeyVaultEmulator,
  keyName: string,
  options: Partial<AzureKeyVaultSignerOptions> = {},
): AzureKeyVaultSigner {
  return new AzureKeyVaultSigner({
    vaultUrl: emu.endpoint,
    keyName,
    credential: emu.credential(),
    clientOptions: emulatorClientOptions(emu),
    // No re-attempts over time unless a test asks for them (the throttling tests do), so fault tests stay short.
    retryDeadlineMs: 0,
    ...options,
  });
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a value');
}

/**
 * Every way an error or signer may end up in a log: String(), util.inspect (hidden members too),
 * JSON, and every string reachable through own properties, causes included.
 */
export function everyRendering(value: unknown): string[] {
  const texts = [String(value), inspect(value, { depth: 12, showHidden: true })];
  try {
    texts.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: the walk below still sees every string
  }
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') texts.push(v);
    if (typeof v !== 'object' || v === null || depth > 12 || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const [k, item] of v) walk([k, item], depth + 1);
    if (v instanceof Set) for (const item of v) walk(item, depth + 1);
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      try {
        walk(toJSON.call(v), depth + 1);
      } catch {
        // not serializable: own properties below
      }
    }
    for (const key of Reflect.ownKeys(v)) {
      let child: unknown;
      try {
        child = (v as Record<string | symbol, unknown>)[key];
      } catch {
        continue;
      }
      walk(child, depth + 1);
    }
  };
  walk(value, 0);
  return texts;
}
