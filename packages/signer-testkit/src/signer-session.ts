import type { AsyncSigner } from '@a1/core';
import { describeShape } from './bytes.js';
import { ConformanceError } from './conformance-error.js';
import type { AnySigner, SignerFactory } from './options.js';
import { toAsyncSigner } from './to-async-signer.js';

/**
 * The signer under test: `raw` as created (what core's builders are given, as users would),
 * and `signer`, the same signer seen as an `AsyncSigner` for the checks' direct calls.
 */
export interface SignerSession {
  raw: AnySigner;
  signer: AsyncSigner & { readonly provider: string };
}

/** Creates a signer, runs `use` with it, and always closes it afterwards. */
export async function withSigner<T>(check: string, create: SignerFactory, use: (session: SignerSession) => Promise<T>): Promise<T> {
  let raw: AnySigner;
  try {
    raw = await create();
  } catch (error) {
    throw new ConformanceError(
      check,
      `create() threw ${describeShape(error)}; a signer must be constructible without I/O and fail on first use instead`,
      { cause: error },
    );
  }
  if (!raw || typeof raw.verifyingKey !== 'function' || typeof raw.signMessage !== 'function') {
    throw new ConformanceError(check, `create() returned ${describeShape(raw)}, which has no verifyingKey()/signMessage()`);
  }
  let result: T;
  try {
    result = await use({ raw, signer: toAsyncSigner(raw) });
  } catch (error) {
    await (raw as AsyncSigner).close?.().catch(() => undefined);
    throw error;
  }
  try {
    await (raw as AsyncSigner).close?.();
  } catch (error) {
    throw new ConformanceError(check, `close() rejected with ${describeShape(error)}`, { cause: error });
  }
  return result;
}
