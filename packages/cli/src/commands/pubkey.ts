/** `a1 pubkey --signer URI`: the signer's Ed25519 public key (one backend call, then cached). */
import { providerOf, toHex } from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { requireString } from '../inputs.js';
import { closeSigner, signerFromUri } from '@a1/signer-uri';

export const runPubkey: CommandRun = async (ctx, values) => {
  const uri = requireString(values, 'signer', 'e.g. --signer file:./root.key');
  const signer = await signerFromUri(uri, { env: ctx.env, cwd: ctx.cwd, onWarning: ctx.note });
  try {
    const publicKey = toHex(await signer.verifyingKey());
    ctx.result({ public_key: publicKey, provider: providerOf(signer), key_id: signer.keyId ?? null }, publicKey);
  } finally {
    await closeSigner(signer);
  }
};
