/** Counts signatures on our side, for backends that keep no counter of their own (SoftHSM2). */
import type { UriSigner } from '@a1/signer-uri';

export function countSignatures(signer: UriSigner): { signer: UriSigner; count(): number } {
  let count = 0;
  const counted = new Proxy(signer, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === 'signMessage' && typeof value === 'function') {
        return (...args: unknown[]) => {
          count++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { signer: counted, count: () => count };
}
