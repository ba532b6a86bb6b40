/** A delegation chain: the principal, its scope, and the certs hop by hop. */
import { u64le, utf8 } from './bytes.js';
import { certFingerprint, type DelegationCert } from './cert.js';
import { deriveKey, deriveKeyHasher, TAG } from './hashing.js';

export interface SignedChain {
  principalPk: Uint8Array;
  principalScope: Uint8Array;
  certs: DelegationCert[];
  /** Tenant namespace; not carried in the reference's SignedChain JSON. */
  namespace?: string | undefined;
}

const CHAIN_TAG = utf8(TAG.chain);

/** A namespace-bound scope, as the reference's `with_namespace` derives it. */
export function namespaceScope(namespace: string, scope: Uint8Array): Uint8Array {
  const ns = utf8(namespace, 'namespace');
  return deriveKey('namespaceScope', u64le(ns.length), ns, scope);
}

/** An empty chain anchored at a principal. */
export function createChain(principalPk: Uint8Array, principalScope: Uint8Array, namespace?: string): SignedChain {
  return { principalPk: Uint8Array.from(principalPk), principalScope: Uint8Array.from(principalScope), certs: [], namespace };
}

/** Like the reference's `with_namespace`: binds the scope to the namespace and records it. */
export function createNamespacedChain(principalPk: Uint8Array, scope: Uint8Array, namespace: string): SignedChain {
  return createChain(principalPk, namespaceScope(namespace, scope), namespace);
}

export function chainFingerprint(chain: SignedChain): Uint8Array {
  const h = deriveKeyHasher('chainFp');
  h.update(CHAIN_TAG).update(chain.principalPk).update(chain.principalScope);
  if (chain.namespace !== undefined) {
    const ns = utf8(chain.namespace, 'chain namespace');
    h.update(u64le(ns.length)).update(ns);
  } else {
    h.update(u64le(0));
  }
  for (const cert of chain.certs) h.update(certFingerprint(cert));
  return h.digest();
}
