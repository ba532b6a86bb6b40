/**
 * Loads one provider package on demand. Provider packages are optional peer dependencies: a URI
 * whose package is not installed ends in an "install @a1/signer-xyz" message, exit code 2.
 */
import { CliError } from './cli-error.js';

function isNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package itself missing; a broken install of one of *its* dependencies is reported as is.
  return typeof message === 'string' && (message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`));
}

/** `import(packageName)`, or a CliError saying which package to install. */
export async function importProvider<T>(packageName: string, forScheme: string): Promise<T> {
  try {
    return (await import(packageName)) as T;
  } catch (error) {
    if (isNotFound(error, packageName)) {
      throw new CliError('ProviderMissing', `${forScheme} signer URIs need the ${packageName} package, which is not installed`, {
        hint: `install @a1/cli's provider for this backend: npm install ${packageName}`,
      });
    }
    throw error;
  }
}
