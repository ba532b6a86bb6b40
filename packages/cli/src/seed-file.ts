/**
 * Local seed files for `file:` signer URIs: the 32-byte Ed25519 seed as hex, created with mode
 * 0600 (owner read/write only) and never overwritten unless asked.
 */
import { constants } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { fromHex, LocalSigner, toHex } from '@a1/core';
import { CliError } from './cli-error.js';

const SEED_HEX = /^[0-9a-fA-F]{64}$/;

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

export async function readSeedFile(path: string, warn?: (text: string) => void): Promise<LocalSigner> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileError(error, path, 'read', 'create one with: a1 keygen -o FILE');
  }
  const seed = text.trim();
  if (!SEED_HEX.test(seed)) throw new CliError('BadInput', `${path} is not an a1 seed file (expected 64 hex characters)`, { exitCode: 2 });
  if (warn && process.platform !== 'win32') {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) warn(`warning: ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  return LocalSigner.fromSeed(fromHex(seed, 'seed'));
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
