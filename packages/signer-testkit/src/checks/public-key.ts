import { verifyEd25519 } from '@a1/core';
import { bytesEqual, describeShape, isBytes } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { randomMessage } from '../random-message.js';
import { withSigner } from '../signer-session.js';
import { expectOneFetch, readFetches } from './fetch-count.js';

export const DEFAULT_SIGN_COUNT = 20;

/**
 * The public key is 32 bytes and the same bytes on every call across `signCount` signs; with
 * a backend counter, exactly one public-key read happened for the signer's whole life.
 */
export async function checkPublicKey(
  options: Pick<SignerConformanceOptions, 'create' | 'publicKeyFetches' | 'signCount'>,
): Promise<void> {
  const check = 'publicKey';
  const signCount = options.signCount ?? DEFAULT_SIGN_COUNT;
  const before = await readFetches(check, options.publicKeyFetches);

  await withSigner(check, options.create, async ({ signer }) => {
    const key = await signer.verifyingKey();
    if (!isBytes(key, 32)) throw new ConformanceError(check, `verifyingKey() gave ${describeShape(key)}, expected Uint8Array(32)`);
    const pinned = key.slice();
    for (let i = 0; i < signCount; i++) {
      const message = randomMessage();
      const signature = await signer.signMessage(message);
      if (!isBytes(signature, 64) || !verifyEd25519(pinned, message, signature)) {
        throw new ConformanceError(check, `signature ${i + 1} of ${signCount} does not verify against the key first returned`);
      }
      const again = await signer.verifyingKey();
      if (!isBytes(again) || !bytesEqual(again, pinned)) {
        throw new ConformanceError(check, `verifyingKey() changed after ${i + 1} sign(s): the key must be stable`);
      }
    }
  });

  if (before !== undefined) {
    const after = await readFetches(check, options.publicKeyFetches);
    expectOneFetch(check, before, after!, `one signer across ${signCount} signs`);
  }
}
