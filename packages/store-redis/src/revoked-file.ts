import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { FINGERPRINT_LENGTH } from './identifiers.js';

/** ~500,000 fingerprints; a larger file is more likely a wrong path (a log, a device) than a list. */
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * The fingerprints an operator restores with `a1-store-redis rearm --revoked FILE`: hex, one per
 * line, blank lines and `#` comments ignored. Only a regular file is read (a FIFO would hang, a
 * device never end), and any bad line stops the whole restore: re-arming with part of the
 * revocations would accept the rest.
 */
export async function readRevokedFingerprints(path: string): Promise<Uint8Array[]> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot open the revoked-fingerprints file (${error.code ?? 'error'})`);
  });
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new Error('the revoked-fingerprints file is not a regular file');
    if (stat.size > MAX_BYTES) throw new Error(`the revoked-fingerprints file is larger than ${MAX_BYTES} bytes`);
    const text = await file.readFile('utf8');
    const fingerprints: Uint8Array[] = [];
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') return;
      if (!new RegExp(`^[0-9a-fA-F]{${FINGERPRINT_LENGTH * 2}}$`).test(line)) {
        throw new Error(`revoked-fingerprints file, line ${i + 1}: expected ${FINGERPRINT_LENGTH * 2} hex characters`);
      }
      fingerprints.push(new Uint8Array(Buffer.from(line, 'hex')));
    });
    return fingerprints;
  } finally {
    await file.close();
  }
}
