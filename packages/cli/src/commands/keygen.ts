/** `a1 keygen -o FILE`: a local Ed25519 seed file (mode 0600); prints the public key. */
import { LocalSigner, toHex } from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { requireString } from '../inputs.js';
import { writeSeedFile } from '../seed-file.js';

export const runKeygen: CommandRun = async (ctx, values) => {
  const output = ctx.path(requireString(values, 'output', 'e.g. a1 keygen -o agent.key'));
  const signer = LocalSigner.generate();
  await writeSeedFile(output, signer, { force: values.force === true });
  const publicKey = toHex(signer.verifyingKey());
  ctx.result({ public_key: publicKey, file: output, signer: `file:${output}` }, publicKey);
  ctx.note(`wrote ${output} (mode 0600); use it as --signer file:${output}`);
};
