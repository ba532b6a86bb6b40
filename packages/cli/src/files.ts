/**
 * Reading inputs and writing outputs, with file errors as plain messages (exit code 4).
 *
 * Writing: a new temporary sibling with a random name, opened exclusive and no-follow (a link
 * planted at a guessable name cannot redirect the write), fsynced, then renamed over the target
 * — so the target is replaced, never written through (a symlink at the target is replaced, not
 * followed) and never reused (a process holding the old file keeps the old inode).
 *
 * Reading: the file is opened, `fstat`ed and refused when too large or not a regular file before
 * a byte is read, then decoded as strict UTF-8 (the reference refuses invalid UTF-8 too).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';
import { fileError } from './file-error.js';

/** Chains, passports and certs are kilobytes; core's JSON reader stops at 8 MiB. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** Line files (batch requests, revocation lists, pinned roots) may hold many lines. */
export const MAX_LINES_FILE_BYTES = 64 * 1024 * 1024;

// ignoreBOM keeps a leading U+FEFF in the text, so core's reader refuses it as serde_json does (a
// decoder that strips it would accept a document the reference refuses).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function readTextFile(path: string, maxBytes: number = MAX_DOCUMENT_BYTES): Promise<string> {
  let handle;
  try {
    // Non-blocking: a FIFO at the path must not hang the command before the checks below.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fileError(error, path, 'read');
  }
  let bytes: Uint8Array;
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw fileError({ code: 'EISDIR' }, path, 'read');
    if (!info.isFile()) throw new CliError('FileError', `cannot read ${path}: not a regular file`);
    if (info.size > maxBytes) {
      throw new CliError('BadInput', `${path} is ${info.size} bytes, more than the ${maxBytes} this input may hold; refused without reading it`, { exitCode: 2 });
    }
    bytes = await handle.readFile();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw fileError(error, path, 'read');
  } finally {
    await handle.close();
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new CliError('BadInput', `${path} is not valid UTF-8 text`, { exitCode: 2, hint: 'A1 documents are UTF-8 JSON; re-export the file as UTF-8' });
  }
}

export interface WriteOptions {
  /** Replace an existing target (otherwise EEXIST, exit 4). */
  overwrite?: boolean;
  /** Mode of the new file: 0600 for secrets (set explicitly, whatever the umask). */
  mode?: number;
}

/** Writes bytes or text whole, as described at the top of this file. */
export async function writeFileSafely(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(12).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, options.mode ?? 0o644);
    created = true;
    try {
      // O_CREAT's mode is masked by the umask; a secret's mode is set exactly.
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite) {
      await rename(temp, path);
    } else {
      // link() refuses an existing target (file or symlink) atomically: no check-then-write race.
      await link(temp, path);
      await unlink(temp);
    }
    created = false;
    await syncDirectory(dirname(path));
  } catch (error) {
    if (created) await unlink(temp).catch(() => undefined);
    throw fileError(error, path, 'write');
  }
}

/** A text file (a trailing newline added when missing). */
export async function writeTextFile(path: string, text: string, options: WriteOptions = {}): Promise<void> {
  await writeFileSafely(path, text.endsWith('\n') ? text : `${text}\n`, options);
}

/** The rename is durable once the directory entry is on disk (best effort: not every platform can fsync a directory). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some filesystems refuse; the data itself was fsynced.
  }
}

/** Fails before any signing when the output exists and may not be replaced. */
export async function refuseExisting(path: string, overwrite: boolean): Promise<void> {
  if (overwrite) return;
  try {
    await access(path);
  } catch {
    return;
  }
  throw fileError({ code: 'EEXIST' }, path, 'write');
}
