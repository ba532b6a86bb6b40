/**
 * Core's Ed25519 rule around a backend's bare equation. The exported backends are wrapped, so a
 * caller who calls `nodeBackend.verify` directly gets the rule (an identity-key "signature" is
 * refused); `verifyEd25519` checks the rule once and calls the bare equation through a
 * non-enumerable symbol, so the hot path never checks twice. A spread copy (`{ ...nobleBackend,
 * verify }`) does not carry the symbol, so an overridden `verify` is always the one called.
 */
import type { Ed25519Backend } from './ed25519-backend.js';
import { isValidPublicKey } from './ed25519-public-key.js';
import { isAcceptableSignatureEncoding } from './ed25519-rule.js';

type Verify = Ed25519Backend['verify'];
type VerifyAsync = NonNullable<Ed25519Backend['verifyAsync']>;

const BARE_VERIFY = Symbol('a1.ed25519.bareVerify');
const BARE_VERIFY_ASYNC = Symbol('a1.ed25519.bareVerifyAsync');

interface Guarded {
  [BARE_VERIFY]?: Verify;
  [BARE_VERIFY_ASYNC]?: VerifyAsync;
}

/** The rule's checks on the bytes: S < L, R not small-order, A a valid key not of small order. */
export function passesRule(publicKey: Uint8Array, signature: Uint8Array): boolean {
  return signature?.length === 64 && publicKey?.length === 32 && isAcceptableSignatureEncoding(signature) && isValidPublicKey(publicKey);
}

/** `bare` with verify / verifyAsync under the rule; its bare equation stays reachable by core only. */
export function underRule<B extends Ed25519Backend>(bare: B): B {
  const verify: Verify = (publicKey, message, signature) => passesRule(publicKey, signature) && bare.verify(publicKey, message, signature);
  const guarded = { ...bare, verify } as B;
  Object.defineProperty(guarded, BARE_VERIFY, { value: bare.verify.bind(bare), enumerable: false });
  if (bare.verifyAsync) {
    const bareAsync = bare.verifyAsync.bind(bare);
    guarded.verifyAsync = async (publicKey, message, signature) => passesRule(publicKey, signature) && bareAsync(publicKey, message, signature);
    Object.defineProperty(guarded, BARE_VERIFY_ASYNC, { value: bareAsync, enumerable: false });
  }
  return guarded;
}

/** The equation to call after the rule passed: a wrapped backend's bare one, else its own verify. */
export function rawVerifyOf(backend: Ed25519Backend): Verify {
  return (backend as Guarded)[BARE_VERIFY] ?? backend.verify;
}

export function rawVerifyAsyncOf(backend: Ed25519Backend): VerifyAsync | undefined {
  return (backend as Guarded)[BARE_VERIFY_ASYNC] ?? backend.verifyAsync;
}
