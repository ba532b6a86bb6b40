/**
 * What every wrapper keeps from the signer it wraps: `provider` and `keyId` (for SignerError and
 * telemetry), `close()`, and `health()` when the inner signer has one.
 */
import { providerOf, type AsyncSigner } from '@a1/core';
import type { OpsEventSource } from './ops-events.js';

/** An AsyncSigner as our wrappers return it: the provider's name is always known. */
export interface WrappedSigner extends AsyncSigner, OpsEventSource {
  readonly provider: string;
  /** Closes the wrapped signer(s) and whatever the wrapper opened (a Redis client). */
  close(): Promise<void>;
}

interface MaybeHealth {
  health?: (options?: { signal?: AbortSignal }) => Promise<unknown>;
}

/** `provider`, `keyId`, `close` and (if present) `health` of `inner`, to spread into a wrapper. */
export function identityOf(inner: AsyncSigner): Pick<WrappedSigner, 'provider' | 'keyId' | 'close'> & MaybeHealth {
  const identity: Pick<WrappedSigner, 'provider' | 'keyId' | 'close'> & MaybeHealth = {
    provider: providerOf(inner),
    keyId: inner.keyId,
    close: async () => {
      await inner.close?.();
    },
  };
  const health = (inner as MaybeHealth).health;
  if (typeof health === 'function') identity.health = (options) => health.call(inner, options);
  return identity;
}
