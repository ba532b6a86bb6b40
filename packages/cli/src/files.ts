/** Reading inputs and writing outputs, with file errors as plain messages (exit code 4). */
import { constants } from 'node:fs';
import { access, open, readFile, rename } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { fileError } from './seed-file.js';

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw fileError(error, path, 'read');
  }
}

/**
 * Writes a file whole: through a temporary sibling and a rename, so a reader (or a crash) never
 * sees half a chain. Refuses to replace an existing file unless `overwrite`.
 */
export async function writeTextFile(path: string, text: string, options: { overwrite?: boolean; mode?: number } = {}): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    if (!options.overwrite) {
      // Reserve the name first: fails with EEXIST when the file is already there.
      const reserved = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, options.mode ?? 0o644);
      await reserved.close();
    }
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, options.mode ?? 0o644);
    try {
      await handle.writeFile(text.endsWith('\n') ? text : `${text}\n`);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    throw fileError(error, path, 'write');
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
