import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A token or a JWT is a few KiB at most; anything this large is the wrong file (or /dev/zero). */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads a token or JWT file without trusting what the path points at: opened non-blocking (a FIFO
 * would otherwise wait for a writer forever), then only a regular file of at most 64 KiB is read,
 * asynchronously (never blocking the event loop). Returns the file's identity stamp (inode, size,
 * mtime) with the text, or the problem as text naming neither the path nor the content.
 */
export async function readSecretFile(path: string): Promise<{ text: string; stamp: string } | { problem: string }> {
  let file: FileHandle;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) return { problem: 'is not a regular file (a FIFO, device or directory is refused)' };
    if (stat.size > MAX_SECRET_FILE_BYTES) return { problem: `is larger than ${MAX_SECRET_FILE_BYTES} bytes` };
    return { text: await file.readFile('utf8'), stamp: `${stat.ino}:${stat.size}:${stat.mtimeMs}` };
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await file.close().catch(() => {});
  }
}
