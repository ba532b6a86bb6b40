/**
 * Core's test helpers, except `allBackends`: core's version lists the backends Node has (and
 * requires sodium-native); here it lists the ones this runtime has — @noble everywhere,
 * node:crypto where there is one, WebCrypto where `crypto.subtle` exists, libsodium where the
 * runtime can load sodium-native — so core's vector tests run per backend in every runtime.
 */
import { nobleBackend, nodeBackend, webCryptoBackend, type Ed25519Backend } from '@a1/core';
import { libsodiumBackend, type SodiumNative } from '../../../core/src/ed25519-libsodium.js';
import { SODIUM_FROM } from 'a1-matrix:paths';

export * from 'a1-matrix:core-helpers';

function loadSodium(): SodiumNative | undefined {
  const getBuiltinModule = (globalThis as any).process?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  try {
    return getBuiltinModule('node:module').createRequire(SODIUM_FROM)('sodium-native');
  } catch {
    return undefined;
  }
}

const sodium = loadSodium();

export function allBackends(): Ed25519Backend[] {
  return [
    nobleBackend,
    ...(nodeBackend ? [nodeBackend] : []),
    ...(webCryptoBackend ? [webCryptoBackend] : []),
    ...(sodium ? [libsodiumBackend(sodium)] : []),
  ];
}
