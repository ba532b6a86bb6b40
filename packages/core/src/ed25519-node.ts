/**
 * Ed25519 on node:crypto (OpenSSL), about 8× faster than pure JS. OpenSSL's verify is the
 * cofactorless ref10 equation (R compared by encoding). node:crypto is reached through
 * `process.getBuiltinModule`, so bundlers never see an import of a Node built-in.
 */
import type * as NodeCrypto from 'node:crypto';
import { concatBytes } from './bytes.js';
import { keyId, remember, type Ed25519Backend } from './ed25519-backend.js';

const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

function makeNodeBackend(crypto: typeof NodeCrypto): Ed25519Backend {
  // Building a KeyObject costs more than a verify; verifiers see the same few keys again and again.
  const publicKeys = new Map<string, NodeCrypto.KeyObject | null>();
  const publicKeyObject = (publicKey: Uint8Array): NodeCrypto.KeyObject | null => {
    const id = keyId(publicKey);
    const key = publicKeys.get(id);
    if (key !== undefined) return key;
    try {
      return remember(publicKeys, id, crypto.createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' }));
    } catch {
      return remember(publicKeys, id, null); // not a valid point
    }
  };
  const privateKeyObject = (seed: Uint8Array): NodeCrypto.KeyObject =>
    crypto.createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
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
