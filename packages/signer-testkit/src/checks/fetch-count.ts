import { describeShape } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';

export async function readFetches(
  check: string,
  publicKeyFetches: SignerConformanceOptions['publicKeyFetches'],
): Promise<number | undefined> {
  if (!publicKeyFetches) return undefined;
  const count = await publicKeyFetches();
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new ConformanceError(check, `publicKeyFetches() gave ${describeShape(count)}, expected a count (integer >= 0)`);
  }
  return count;
}

/** A signer reads its public key from the backend once, then serves it from its cache. */
export function expectOneFetch(check: string, before: number, after: number, during: string): void {
  const reads = after - before;
  if (reads === 1) return;
  if (reads === 0) {
    throw new ConformanceError(
      check,
      `publicKeyFetches() did not move during ${during}; is it counting reads of the key create() uses?`,
    );
  }
  throw new ConformanceError(check, `${reads} public-key reads during ${during}; expected exactly 1 (fetch once, then cache)`);
}
