/**
 * An optional libsodium backend over `sodium-native` (prebuilt; about 1.7× faster than
 * node:crypto). Core never imports it: the application installs `sodium-native` (an optional
 * peer dependency) and passes the module in; this file is its own entry point, so browsers
 * and apps that do not opt in never load it:
 *
 *   import sodium from 'sodium-native';
 *   import { libsodiumBackend } from '@a1/core/libsodium';
 *   useEd25519Backend(libsodiumBackend(sodium));
 *
 * libsodium's `crypto_sign_verify_detached` applies the same rule as core (it was its model), so
 * this backend's `verify` is safe to call directly without a wrapper (backends-direct.test.ts).
 */
import type { Ed25519Backend } from './ed25519-backend.js';

/** The part of `sodium-native` this backend uses. */
export interface SodiumNative {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
}

export function libsodiumBackend(sodium: SodiumNative): Ed25519Backend {
  if (typeof sodium?.crypto_sign_verify_detached !== 'function') {
    throw new TypeError('libsodiumBackend expects the sodium-native module object');
  }
  const keyPair = (seed: Uint8Array) => {
    const publicKey = new Uint8Array(32);
    const secretKey = new Uint8Array(64);
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
    return { publicKey, secretKey };
  };
  const signWith = (secretKey: Uint8Array, message: Uint8Array) => {
    const signature = new Uint8Array(64);
    sodium.crypto_sign_detached(signature, message, secretKey);
    return signature;
  };
  return {
    name: 'libsodium',
    verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        return sodium.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },
    sign: (seed, message) => signWith(keyPair(seed).secretKey, message),
    publicKeyOf: (seed) => keyPair(seed).publicKey,
    signerFor(seed) {
      const { secretKey } = keyPair(seed);
      return (message) => signWith(secretKey, message);
    },
  };
}
