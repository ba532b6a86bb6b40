/**
 * A third-party signer: a plain object implementing AsyncSigner over a LocalSigner, with knobs a
 * test turns (a throttle answer, a delay that honours the AbortSignal). Not a vendor mock: it is
 * what any application may hand our wrappers.
 */
import { LocalSigner, SignerError, type AsyncSigner, type SignOptions } from '@a1/core';

export interface PlainSigner extends AsyncSigner {
  readonly provider: string;
  calls: number;
  /** Times each signMessage starts, in performance.now() ms. */
  startedAt: number[];
  /** The next N calls answer Throttled. */
  throttleNext: number;
  delayMs: number;
}

export function plainSigner(local: LocalSigner = LocalSigner.generate(), keyId = 'third-party/key-1'): PlainSigner {
  const signer: PlainSigner = {
    provider: 'third-party',
    keyId,
    calls: 0,
    startedAt: [],
    throttleNext: 0,
    delayMs: 0,
    async verifyingKey() {
      return local.verifyingKey();
    },
    async signMessage(message: Uint8Array, opts: SignOptions = {}) {
      signer.calls += 1;
      signer.startedAt.push(performance.now());
      if (signer.throttleNext > 0) {
        signer.throttleNext -= 1;
        throw new SignerError({ provider: 'third-party', keyId, code: 'Throttled', message: 'slow down' });
      }
      if (signer.delayMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, signer.delayMs);
          opts.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new SignerError({ provider: 'third-party', keyId, code: 'Aborted', message: 'aborted', retryable: false }));
          });
        });
      }
      return local.signMessage(message);
    },
  };
  return signer;
}

/** The rejection of `p` as a SignerError (fails the test if `p` resolves or rejects otherwise). */
export async function signerRejection(p: Promise<unknown>): Promise<SignerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SignerError) return e;
    throw new Error(`expected a SignerError, got ${String(e)}`);
  }
  throw new Error('expected a rejection, got a value');
}
