/**
 * What `a1 demo` needs besides the CLI: the emulators and every signer package. Checked before
 * anything starts, so a bare `npm install -g @a1/cli` gets the list and the install command
 * (exit 2), not a stack trace halfway through.
 */
import { currentInstallLocation, importProvider, installCommand, isSignerUriError } from '@a1/signer-uri';
import { CliError } from '../cli-error.js';

type Emulators = typeof import('@a1/emulators');

export const DEMO_PACKAGES = ['@a1/emulators', '@a1/signer-aws', '@a1/signer-gcp', '@a1/signer-vault', '@a1/signer-azure', '@a1/signer-pkcs11'] as const;

/** Loads the demo's packages (the emulators module is returned); refuses with all missing ones named. */
export async function loadDemoPackages(env: NodeJS.ProcessEnv = process.env): Promise<Emulators> {
  const loaded = await Promise.allSettled(DEMO_PACKAGES.map((name) => importProvider<unknown>(name, 'a1 demo', env)));
  const missing: string[] = [];
  loaded.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    if (isSignerUriError(result.reason) && result.reason.code === 'ProviderMissing') missing.push(DEMO_PACKAGES[i]!);
    else throw result.reason;
  });
  if (missing.length > 0) {
    throw new CliError('ProviderMissing', `a1 demo needs ${DEMO_PACKAGES.join(', ')}; not installed: ${missing.join(', ')}`, {
      hint: `install them: ${installCommand(missing, currentInstallLocation(env))} (or run the demo from a checkout: bash scripts/demo.sh)`,
    });
  }
  return (loaded[0] as PromiseFulfilledResult<Emulators>).value;
}
