import { verifyEd25519 } from '@a1/core';
import { isBytes } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { randomMessage } from '../random-message.js';
import { withSigner } from '../signer-session.js';
import { expectOneFetch, readFetches } from './fetch-count.js';

export const DEFAULT_CONCURRENCY = 100;

/**
 * `concurrency` simultaneous first uses of a fresh signer: every signature verifies against
 * its own message (no answers swapped between calls), and the cold start reads the key once.
 */
export async function checkConcurrentSigns(
  options: Pick<SignerConformanceOptions, 'create' | 'publicKeyFetches' | 'concurrency'>,
): Promise<void> {
  const n = options.concurrency ?? DEFAULT_CONCURRENCY;
  const check = `concurrency(${n})`;
  const before = await readFetches(check, options.publicKeyFetches);

  await withSigner(check, options.create, async ({ signer }) => {
    const messages = Array.from({ length: n }, () => randomMessage());
    const results = await Promise.allSettled(
      messages.map((message) => Promise.all([signer.verifyingKey(), signer.signMessage(message)])),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected.length > 0) {
      throw new ConformanceError(check, `${rejected.length} of ${n} concurrent signs rejected`, { cause: rejected[0]!.reason });
    }

    let bad = 0;
    results.forEach((r, i) => {
      const [key, signature] = (r as PromiseFulfilledResult<[Uint8Array, Uint8Array]>).value;
      if (!isBytes(key, 32) || !isBytes(signature, 64) || !verifyEd25519(key, messages[i]!, signature)) bad++;
    });
    if (bad > 0) throw new ConformanceError(check, `${bad} of ${n} concurrent signatures do not verify against their own message`);
  });

  if (before !== undefined) {
    const after = await readFetches(check, options.publicKeyFetches);
    expectOneFetch(check, before, after!, `${n} concurrent first uses of one signer`);
  }
}
