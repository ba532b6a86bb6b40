import { providerOf, type AsyncSigner } from '@a1/core';
import { ConformanceError } from '../conformance-error.js';
import { expectSignerError } from '../expect-signer-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { randomMessage } from '../random-message.js';
import type { Secret } from '../secret-leaks.js';
import { withSigner } from '../signer-session.js';
import { isThenable } from '../to-async-signer.js';

/** `checked`, or `sync-signer` when the signer is a sync `Signer` (nothing to abort). */
export type AbortCheckOutcome = 'checked' | 'sync-signer';

/**
 * `signMessage` with an already-aborted signal rejects with `SignerError` `Aborted`, not
 * retryable, naming the signer's provider and key: the caller gave up, so nothing may come back.
 */
export async function checkAbort(
  options: Pick<SignerConformanceOptions, 'create'> & { secrets?: readonly Secret[] },
): Promise<AbortCheckOutcome> {
  const check = 'abort';
  return withSigner(check, options.create, async ({ raw }) => {
    const first = raw.verifyingKey();
    if (!isThenable(first)) return 'sync-signer';
    try {
      await first;
    } catch (error) {
      throw new ConformanceError(check, 'verifyingKey() failed before the abort was tried', { cause: error });
    }
    const controller = new AbortController();
    controller.abort();
    const signer = raw as AsyncSigner;
    await expectSignerError(
      Promise.resolve().then(() => signer.signMessage(randomMessage(), { signal: controller.signal })),
      { code: 'Aborted', retryable: false, provider: providerOf(raw), keyId: signer.keyId, secrets: options.secrets ?? [] },
      check,
    );
    return 'checked';
  });
}
