import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** A PIN is a few dozen bytes; anything this large is the wrong file. */
export const MAX_PIN_FILE_BYTES = 64 * 1024;

/**
 * Reads a PIN file without trusting what the path points at: opened non-blocking (a FIFO would
 * otherwise wait for a writer forever), then only a regular file of at most 64 KiB is read, and
 * asynchronously. Returns the refusal as text naming the problem — never the path or content,
 * since a PIN pasted as the path must not be printed.
 */
export async function readPinFile(path: string): Promise<{ text: string } | { problem: string }> {
  let file;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `cannot be opened (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) return { problem: 'is not a regular file (a FIFO, device or directory is refused)' };
    if (stat.size > MAX_PIN_FILE_BYTES) return { problem: `is larger than ${MAX_PIN_FILE_BYTES} bytes` };
    return { text: await file.readFile('utf8') };
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await file.close().catch(() => {});
  }
}
