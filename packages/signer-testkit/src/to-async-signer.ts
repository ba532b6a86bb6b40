import { providerOf, SignerError, type AsyncSigner, type SignOptions } from '@a1/core';
import type { AnySigner } from './options.js';

export function isThenable<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Presents any signer as an `AsyncSigner`. An async signer's calls pass through unchanged
 * (signal included); a sync `Signer`'s results are wrapped in promises, and a sync signature
 * is withheld when the caller's signal is already aborted, as an async signer would do.
 * `provider` and `keyId` are the wrapped signer's, so errors name the real backend.
 */
export function toAsyncSigner(signer: AnySigner): AsyncSigner & { readonly provider: string } {
  const provider = providerOf(signer);
  return {
    provider,
    get keyId() {
      return (signer as AsyncSigner).keyId;
    },
    verifyingKey: () => Promise.resolve().then(() => signer.verifyingKey()),
    signMessage: (message: Uint8Array, opts?: SignOptions) =>
      Promise.resolve().then(() => {
        const result = (signer as AsyncSigner).signMessage(message, opts);
        if (isThenable(result)) return result;
        if (opts?.signal?.aborted) {
          throw new SignerError({
            provider,
            keyId: (signer as AsyncSigner).keyId,
            code: 'Aborted',
            message: 'signing aborted by the caller',
            cause: opts.signal.reason,
          });
        }
        return result;
      }),
    close: () => (signer as AsyncSigner).close?.() ?? Promise.resolve(),
  };
}
