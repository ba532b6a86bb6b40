import { verifyEd25519 } from '@a1/core';
import { describeShape, isBytes } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { randomMessage } from '../random-message.js';
import { withSigner } from '../signer-session.js';

/** Every signature over a random 32-byte message is 64 bytes and verifies (pure Ed25519). */
export async function checkSignatures(
  options: Pick<SignerConformanceOptions, 'create' | 'signCount'>,
): Promise<void> {
  const check = 'signatures';
  const count = options.signCount ?? 20;
  await withSigner(check, options.create, async ({ signer }) => {
    const key = await signer.verifyingKey();
    for (let i = 0; i < count; i++) {
      const message = randomMessage();
      const signature = await signer.signMessage(message);
      if (!isBytes(signature, 64)) {
        throw new ConformanceError(check, `signMessage() gave ${describeShape(signature)}, expected Uint8Array(64)`);
      }
      if (!verifyEd25519(key, message, signature)) {
        throw new ConformanceError(
          check,
          `signature ${i + 1} of ${count} does not verify against verifyingKey() (wrong key, Ed25519ph/prehash, or the message altered?)`,
        );
      }
    }
  });
}
