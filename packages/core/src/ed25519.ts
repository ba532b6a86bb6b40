/**
 * Ed25519 (RFC 8032, pure). Uses node:crypto (OpenSSL) where the runtime has it — about 8×
 * faster than pure JS — and @noble/curves elsewhere (browsers, edge runtimes). Both give the
 * same answers on every vector; tests run both. node:crypto is reached through
 * `process.getBuiltinModule`, so bundlers never see an import of a Node built-in.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type * as NodeCrypto from 'node:crypto';
import { concatBytes } from './bytes.js';

export interface Ed25519Backend {
  readonly name: 'node:crypto' | '@noble/curves';
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  publicKeyOf(seed: Uint8Array): Uint8Array;
  /** A signing function bound to one key, with whatever key setup the backend needs done once. */
  signerFor(seed: Uint8Array): (message: Uint8Array) => Uint8Array;
}

const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const KEY_CACHE_LIMIT = 4096;

export const nobleBackend: Ed25519Backend = {
  name: '@noble/curves',
  verify(publicKey, message, signature) {
    try {
      // zip215: false = RFC 8032 / OpenSSL acceptance rules (canonical S, canonical encodings).
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  sign: (seed, message) => ed25519.sign(message, seed),
  publicKeyOf: (seed) => ed25519.getPublicKey(seed),
  signerFor: (seed) => (message) => ed25519.sign(message, seed),
};

function makeNodeBackend(crypto: typeof NodeCrypto): Ed25519Backend {
  // Building a KeyObject costs more than a verify; verifiers see the same few keys again and again.
  const publicKeys = new Map<string, NodeCrypto.KeyObject | null>();
  const publicKeyObject = (publicKey: Uint8Array): NodeCrypto.KeyObject | null => {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('latin1');
    let key = publicKeys.get(id);
    if (key === undefined) {
      try {
        key = crypto.createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' });
      } catch {
        key = null; // not a valid point
      }
      if (publicKeys.size >= KEY_CACHE_LIMIT) publicKeys.clear();
      publicKeys.set(id, key);
    }
    return key;
  };
  return {
    name: 'node:crypto',
    verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      const key = publicKeyObject(publicKey);
      if (!key) return false;
      try {
        return crypto.verify(null, message, key, signature);
      } catch {
        return false;
      }
    },
    sign(seed, message) {
      return new Uint8Array(crypto.sign(null, message, privateKeyObject(seed)));
    },
    publicKeyOf(seed) {
      const spki = crypto.createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
      return new Uint8Array(spki.subarray(spki.length - 32));
    },
    signerFor(seed) {
      const key = privateKeyObject(seed);
      return (message) => new Uint8Array(crypto.sign(null, message, key));
    },
  };
  function privateKeyObject(seed: Uint8Array): NodeCrypto.KeyObject {
    return crypto.createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
  }
}

function detectNodeCrypto(): typeof NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const mod = proc?.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined;
    return mod && typeof mod.verify === 'function' && typeof mod.createPublicKey === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
}

const nodeCrypto = detectNodeCrypto();
export const nodeBackend: Ed25519Backend | undefined = nodeCrypto ? makeNodeBackend(nodeCrypto) : undefined;

let active: Ed25519Backend = nodeBackend ?? nobleBackend;

/** The backend in use: `node:crypto` on Node, `@noble/curves` elsewhere. */
export function ed25519Backend(): Ed25519Backend {
  return active;
}

/** Pins a backend (tests compare both; `undefined` restores the default). */
export function useEd25519Backend(backend: Ed25519Backend | undefined): void {
  active = backend ?? nodeBackend ?? nobleBackend;
}

/** Pure Ed25519 verification; false (never a throw) for malformed keys or signatures. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey?.length !== 32 || signature?.length !== 64) return false;
  return active.verify(publicKey, message, signature);
}

// Decoding a point costs a square root (~50–100 µs); verifiers meet the same keys again and again.
const knownValidKeys = new Set<string>();

/** True when the 32 bytes decode to a curve point (the reference rejects other keys when parsing). */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  const id = String.fromCharCode(...publicKey);
  if (knownValidKeys.has(id)) return true;
  try {
    ed25519.Point.fromBytes(publicKey, true);
  } catch {
    return false;
  }
  if (knownValidKeys.size >= KEY_CACHE_LIMIT) knownValidKeys.clear();
  knownValidKeys.add(id);
  return true;
}
