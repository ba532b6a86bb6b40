/**
 * Loads one provider package on demand. Provider packages are optional peer dependencies: a URI
 * whose package is not installed ends in a `ProviderMissing` error naming the install command.
 */
import { currentInstallLocation, installCommand } from './install-location.js';
import { SignerUriError } from './signer-uri-error.js';

function isNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package itself missing; a broken install of one of *its* dependencies is reported as is.
  return typeof message === 'string' && (message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`));
}

/** How this package was installed decides the hint (see install-location.ts). */
function hintFor(packageName: string, env: NodeJS.ProcessEnv): string {
  return `install the provider for this backend: ${installCommand(packageName, currentInstallLocation(env))}`;
}

/** `import(packageName)`, or a `SignerUriError('ProviderMissing')` saying how to install it. */
export async function importProvider<T>(packageName: string, forWhat: string, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  try {
    return (await import(packageName)) as T;
  } catch (error) {
    if (isNotFound(error, packageName)) {
      throw new SignerUriError('ProviderMissing', `${forWhat} needs the ${packageName} package, which is not installed`, { hint: hintFor(packageName, env) });
    }
    throw error;
  }
}
