/**
 * Local seed files for `file:` signer URIs: the 32-byte Ed25519 seed as hex, created with mode
 * 0600 (owner read/write only) and never overwritten unless asked. Reading them is
 * `@a1/signer-uri`'s job (`file:` URIs).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { toHex, type LocalSigner } from '@a1/core';
import { CliError } from './cli-error.js';

export async function writeSeedFile(path: string, signer: LocalSigner, options: { force?: boolean } = {}): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | (options.force ? constants.O_TRUNC : constants.O_EXCL);
  let handle;
  try {
    handle = await open(path, flags, 0o600);
  } catch (error) {
    throw fileError(error, path, 'create');
  }
  try {
    // O_CREAT's mode is masked by umask and ignored for an existing file: set it explicitly.
    await handle.chmod(0o600);
    await handle.writeFile(`${toHex(signer.exportSeed())}\n`);
  } finally {
    await handle.close();
  }
}

export function fileError(error: unknown, path: string, action: string, hint?: string): CliError {
  const code = (error as { code?: string } | null)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EEXIST' ? 'it already exists (use --force to overwrite)'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : (error as Error)?.message ?? String(error);
  return new CliError('FileError', `cannot ${action} ${path}: ${why}`, { hint, cause: error });
}
