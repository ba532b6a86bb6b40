/**
 * Local seed files for `file:` signer URIs: the 32-byte Ed25519 seed as hex, created with mode
 * 0600 (owner read/write only) and never overwritten unless asked. Reading them is
 * `@a1/signer-uri`'s job (`file:` URIs).
 */
import { toHex, type LocalSigner } from '@a1/core';
import { writeFileSafely } from './files.js';

/** The seed as hex, mode 0600, written safely (files.ts): never through a planted link, never into the old inode. */
export async function writeSeedFile(path: string, signer: LocalSigner, options: { force?: boolean } = {}): Promise<void> {
  await writeFileSafely(path, `${toHex(signer.exportSeed())}\n`, { overwrite: options.force === true, mode: 0o600 });
}
