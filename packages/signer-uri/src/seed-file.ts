/**
 * `file:` signer URIs: a local seed file holding the 32-byte Ed25519 seed as hex (what
 * `a1 keygen` writes, mode 0600). The file is checked with `stat` before it is read, so a huge
 * file or a device is refused unread.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { fromHex, LocalSigner } from '@a1/core';
import { looksLikeKeyMaterial } from './key-material.js';
import { SignerUriError } from './signer-uri-error.js';

const SEED_HEX = /^[0-9a-fA-F]{64}$/;
/** A seed file is 64 hex characters and a newline; anything much larger is not one. */
const MAX_SEED_FILE_BYTES = 1024;
/** The path as it may be printed: not at all when it looks like key material. */
export function printablePath(path: string): string {
  return looksLikeKeyMaterial(path) ? 'the file: path (not shown: it looks like key material)' : path;
}

export function seedPath(uri: string, cwd: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  let path: string;
  try {
    path = decodeURIComponent(uri.slice('file:'.length));
  } catch {
    throw new SignerUriError('NotAUri', 'the file: signer URI is not valid percent-encoding', { hint: 'e.g. file:./root.key' });
  }
  if (path === '') throw new SignerUriError('NotAUri', 'file: signer URI has no path', { hint: 'e.g. file:./root.key' });
  return resolve(cwd, path);
}

function unreadable(error: unknown, path: string): SignerUriError {
  const code = (error as { code?: string } | null)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : code ?? 'unreadable';
  const keyLike = looksLikeKeyMaterial(path);
  return new SignerUriError('SeedFileUnreadable', `cannot read ${printablePath(path)}: ${why}`, {
    hint: keyLike ? 'a file: URI names a seed file, never the seed itself: save it with a1 keygen -o FILE' : 'create one with: a1 keygen -o FILE',
    // Node's error names the path (message and `path`), which may be a pasted seed: only its code is kept.
    ...(code ? { cause: Object.assign(new Error(code), { code }) } : {}),
  });
}

/** Reads and checks a seed file; `warn` hears about a file other users can read. */
export async function readSeedFile(path: string, warn?: (text: string) => void): Promise<LocalSigner> {
  let handle;
  try {
    // Non-blocking, so a FIFO planted at the path cannot hang us before the checks below.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(error, path);
  }
  let bytes: Buffer;
  let mode: number;
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw unreadable({ code: 'EISDIR' }, path);
    if (!info.isFile() || info.size > MAX_SEED_FILE_BYTES) {
      throw new SignerUriError('NotASeedFile', `${printablePath(path)} is not an a1 seed file (${info.isFile() ? `${info.size} bytes; a seed file is 65` : 'not a regular file'})`);
    }
    mode = info.mode;
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  const seed = bytes.toString('latin1').trim();
  if (!SEED_HEX.test(seed)) throw new SignerUriError('NotASeedFile', `${printablePath(path)} is not an a1 seed file (expected 64 hex characters)`);
  if (warn && process.platform !== 'win32' && (mode & 0o077) !== 0) {
    warn(`warning: ${printablePath(path)} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  return LocalSigner.fromSeed(fromHex(seed, 'seed'));
}
