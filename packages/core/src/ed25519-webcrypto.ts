/**
 * Ed25519 through WebCrypto (`crypto.subtle`: current browsers, Deno, Bun, Workers, Node). Its
 * verify is asynchronous, so `authorize` uses `verifyAsync`; synchronous callers (CertBuilder.build)
 * and signing use @noble. Support is detected once, by importing the base point as a key and
 * checking a zero signature is refused: a runtime without Ed25519 in subtle falls back to @noble.
 */
import { keyId, remember, type Ed25519Backend } from './ed25519-backend.js';
import { nobleBackend } from './ed25519-noble.js';

const ALGORITHM = { name: 'Ed25519' };
// The base point's encoding (y = 4/5): a valid key in every implementation.
const PROBE_KEY = new Uint8Array(32).fill(0x66);
PROBE_KEY[0] = 0x58;

/** The part of `crypto.subtle` used here (typed locally: core does not compile against the DOM). */
export interface SubtleEd25519 {
  importKey(format: 'raw', keyData: Uint8Array, algorithm: { name: string }, extractable: boolean, usages: string[]): Promise<unknown>;
  verify(algorithm: { name: string }, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

export interface WebCryptoBackend extends Ed25519Backend {
  /** True when the runtime's subtle crypto has Ed25519 (detected once). */
  supported(): Promise<boolean>;
}

export function makeWebCryptoBackend(subtle: SubtleEd25519): WebCryptoBackend {
  const keys = new Map<string, Promise<unknown>>();
  const importKey = (publicKey: Uint8Array): Promise<unknown> => {
    const id = keyId(publicKey);
    const known = keys.get(id);
    if (known) return known;
    const key = subtle.importKey('raw', Uint8Array.from(publicKey), ALGORITHM, false, ['verify']).catch(() => null);
    return remember(keys, id, key);
  };
  const verifyNative = async (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    const key = await importKey(publicKey);
    if (!key) return false;
    try {
      return await subtle.verify(ALGORITHM, key, Uint8Array.from(signature), Uint8Array.from(message));
    } catch {
      return false;
    }
  };
  let supported: Promise<boolean> | undefined;
  const isSupported = (): Promise<boolean> =>
    (supported ??= subtle
      .importKey('raw', PROBE_KEY, ALGORITHM, false, ['verify'])
      .then((key) => subtle.verify(ALGORITHM, key, new Uint8Array(64), new Uint8Array(0)))
      .then((verdict) => verdict === false, () => false));
  return {
    ...nobleBackend,
    name: 'webcrypto',
    supported: isSupported,
    async verifyAsync(publicKey, message, signature) {
      return (await isSupported()) ? verifyNative(publicKey, message, signature) : nobleBackend.verify(publicKey, message, signature);
    },
  };
}
