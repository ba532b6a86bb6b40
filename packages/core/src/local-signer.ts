/**
 * LocalSigner: an Ed25519 key held in this process, for tests, development and agents' own
 * hop keys. Root keys belong in a KMS or HSM (see the provider packages).
 */
import { ed25519Backend, publicKeyProblem } from './ed25519.js';
import { fixedBytes, toHex } from './bytes.js';
import { A1Error } from './errors.js';
import type { Signer } from './signer.js';

export class LocalSigner implements Signer {
  readonly provider = 'local';
  readonly #seed: Uint8Array;
  readonly #publicKey: Uint8Array;
  readonly #sign: (message: Uint8Array) => Uint8Array;

  private constructor(seed: Uint8Array) {
    this.#seed = seed;
    const backend = ed25519Backend();
    this.#publicKey = backend.publicKeyOf(seed);
    // A seed never derives a small-order key; a backend that says so is broken, not trusted.
    const problem = publicKeyProblem(this.#publicKey);
    if (problem) throw A1Error.wire(`the ${backend.name} backend derived ${problem}; refused`);
    // Key setup (an OpenSSL key object) happens once, not per signature.
    this.#sign = backend.signerFor(seed);
  }

  /** From a 32-byte Ed25519 seed (RFC 8032 private key). The seed is copied. */
  static fromSeed(seed: Uint8Array): LocalSigner {
    return new LocalSigner(fixedBytes(seed, 32, 'Ed25519 seed'));
  }

  static generate(): LocalSigner {
    return new LocalSigner(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  }

  verifyingKey(): Uint8Array {
    return Uint8Array.from(this.#publicKey);
  }

  signMessage(message: Uint8Array): Uint8Array {
    return this.#sign(message);
  }

  /** The seed, for saving to a protected file; handle with care. */
  exportSeed(): Uint8Array {
    return Uint8Array.from(this.#seed);
  }

  /** Never prints the seed. */
  toString(): string {
    return `LocalSigner(${toHex(this.#publicKey)})`;
  }

  toJSON(): { provider: string; publicKey: string } {
    return { provider: this.provider, publicKey: toHex(this.#publicKey) };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
