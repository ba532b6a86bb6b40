/** A revocation list file: cert fingerprints in hex, one per line; `#` starts a comment. */
import { fromHex, MemoryRevocationStore } from '@a1/core';
import { CliError } from './cli-error.js';
import { MAX_LINES_FILE_BYTES, readTextFile } from './files.js';

export async function readRevocationFile(path: string): Promise<MemoryRevocationStore> {
  const store = new MemoryRevocationStore();
  const lines = (await readTextFile(path, MAX_LINES_FILE_BYTES)).split(/\r?\n/);
  lines.forEach((line, i) => {
    const entry = line.replace(/#.*/, '').trim();
    if (entry === '') return;
    if (!/^[0-9a-fA-F]{64}$/.test(entry)) {
      throw new CliError('BadInput', `${path}:${i + 1}: not a cert fingerprint (64 hex characters)`, { exitCode: 2 });
    }
    store.revoke(fromHex(entry, 'fingerprint'));
  });
  return store;
}
