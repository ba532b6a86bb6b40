/**
 * Offline chain verification in the reference's exact check order (vectors pin every boundary):
 * structure hop by hop, terminal agent, all signatures, intent, revocation, then nonces
 * all-or-nothing. Nothing is consumed on any failure, and no network is touched.
 */
import { equalBytes, fixedBytes, toU64 } from './bytes.js';
import { certFingerprint, CERT_VERSION, signableBytes, type DelegationCert } from './cert.js';
import { chainFingerprint, type SignedChain } from './chain.js';
import { ed25519Backend, publicKeyProblem, verifyEd25519, verifyEd25519Async, type Ed25519Backend } from './ed25519.js';
import { A1Error } from './errors.js';
import { emptyProof, verifyMerkleProof, type MerkleProof } from './merkle.js';
import type { VerificationReceipt } from './receipt.js';
import type { NonceStore, RevocationStore } from './stores.js';

export const MAX_CHAIN_LENGTH = 255;
export const DEFAULT_DRIFT_TOLERANCE_SECS = 15;

export interface VerifyContext {
  /** The presenting agent's public key: must be the last cert's delegate. */
  agentPk: Uint8Array;
  /** Verifier clock, unix seconds (default: the system clock). */
  now?: number | bigint;
  /** Clock skew tolerated on both validity bounds (default 15 s). */
  driftToleranceSecs?: number | bigint;
  /** Checked for every cert fingerprint; none when omitted. */
  revocations?: RevocationStore;
  /** Consumes every cert nonce all-or-nothing; without one, nonces are not tracked (no replay protection). */
  nonces?: NonceStore;
  /** The Ed25519 backend for this call (default: the process-wide one, see `useEd25519Backend`). */
  ed25519Backend?: Ed25519Backend;
}

export interface AuthorizeOptions extends VerifyContext {
  /** Intent hash (32 bytes) the agent wants to execute. */
  intent: Uint8Array;
  /** Merkle proof of the intent in the terminal scope; empty means intent == scope root. */
  proof?: MerkleProof;
}

export interface BatchItem {
  intent: Uint8Array;
  proof?: MerkleProof;
}

export interface AuthorizeBatchOptions extends VerifyContext {
  items: readonly BatchItem[];
}

export interface BatchResult {
  receipts: Array<VerificationReceipt | null>;
  errors: Array<A1Error | null>;
  allAuthorized: boolean;
}

interface Clock {
  now: bigint;
  drift: bigint;
}

function clockOf(ctx: VerifyContext): Clock {
  const now = ctx.now === undefined ? BigInt(Math.floor(Date.now() / 1000)) : toU64(ctx.now, 'now');
  const drift = toU64(ctx.driftToleranceSecs ?? DEFAULT_DRIFT_TOLERANCE_SECS, 'driftToleranceSecs');
  return { now, drift };
}

const U64_MAX = (1n << 64n) - 1n;
const satAdd = (a: bigint, b: bigint) => (a + b > U64_MAX ? U64_MAX : a + b);
const satSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);

/** Steps 1–2: linkage, version, validity window, temporal nesting, depth, nonces, scope. Returns the terminal scope. */
function checkStructure(chain: SignedChain, clock: Clock): Uint8Array {
  const certs = chain.certs;
  if (certs.length === 0) throw new A1Error('EmptyChain');
  if (!equalBytes(certs[0]!.delegatorPk, chain.principalPk)) throw new A1Error('RootMismatch');
  if (certs.length > MAX_CHAIN_LENGTH) throw new A1Error('MaxDepthExceeded', { index: MAX_CHAIN_LENGTH, limit: MAX_CHAIN_LENGTH });

  let expectedDelegator = chain.principalPk;
  let scope = chain.principalScope;
  let parentExpiration: bigint | undefined;
  let depthLimit = MAX_CHAIN_LENGTH;
  const seenNonces: Uint8Array[] = [];
  const notBefore = satAdd(clock.now, clock.drift);
  const notAfter = satSub(clock.now, clock.drift);

  certs.forEach((cert, index) => {
    if (!equalBytes(cert.delegatorPk, expectedDelegator)) throw new A1Error('BrokenLinkage', { index });
    if (cert.version !== CERT_VERSION) throw new A1Error('UnsupportedVersion', { expected: CERT_VERSION, got: cert.version });
    if (notBefore < cert.issuedAt) throw new A1Error('NotYetValid', { index, issuedAt: cert.issuedAt, now: clock.now });
    if (cert.expirationUnix < notAfter) throw new A1Error('Expired', { index, expiration: cert.expirationUnix, now: clock.now });
    if (parentExpiration !== undefined && cert.expirationUnix > parentExpiration) {
      throw new A1Error('TemporalViolation', { index, expiration: cert.expirationUnix, parentExpiration });
    }
    // A cert's own max_depth never limits itself: it bounds the absolute position of later hops.
    if (index + 1 > depthLimit) throw new A1Error('MaxDepthExceeded', { index, limit: depthLimit });
    if (seenNonces.some((n) => equalBytes(n, cert.nonce))) throw new A1Error('NonceReplay');
    scope = checkScope(cert, scope, index);

    seenNonces.push(cert.nonce);
    depthLimit = Math.min(depthLimit, cert.maxDepth);
    parentExpiration = cert.expirationUnix;
    expectedDelegator = cert.delegatePk;
  });
  return scope;
}

function checkScope(cert: DelegationCert, parentScope: Uint8Array, index: number): Uint8Array {
  if (cert.scopeProof.isPassthrough()) {
    if (!equalBytes(cert.scopeRoot, parentScope)) throw new A1Error('ScopeEscalation', { index });
    return cert.scopeRoot;
  }
  let derived: Uint8Array;
  try {
    derived = cert.scopeProof.deriveRoot(parentScope);
  } catch {
    throw new A1Error('ScopeEscalation', { index });
  }
  if (!equalBytes(derived, cert.scopeRoot)) throw new A1Error('ScopeEscalation', { index });
  return cert.scopeRoot;
}

/**
 * Every signature under core's Ed25519 rule; the first failing hop is reported. Synchronous
 * unless the backend verifies asynchronously (WebCrypto): the node:crypto path awaits nothing.
 */
function checkSignatures(chain: SignedChain, ctx: VerifyContext): Promise<void> | undefined {
  const backend = ctx.ed25519Backend ?? ed25519Backend();
  if (backend.verifyAsync) {
    return Promise.all(chain.certs.map((cert) => verifyEd25519Async(cert.delegatorPk, signableBytes(cert), cert.signature, backend))).then((verdicts) => {
      const index = verdicts.indexOf(false);
      if (index >= 0) throw new A1Error('InvalidSignature', { index });
    });
  }
  chain.certs.forEach((cert, index) => {
    if (!verifyEd25519(cert.delegatorPk, signableBytes(cert), cert.signature, backend)) throw new A1Error('InvalidSignature', { index });
  });
  return undefined;
}

function checkIntent(intent: Uint8Array, proof: MerkleProof, terminalScope: Uint8Array): void {
  const ok = proof.siblings.length === 0 ? equalBytes(intent, terminalScope) : verifyMerkleProof(proof, intent, terminalScope);
  if (!ok) throw new A1Error('ScopeViolation');
}

/** `scheme://user:password@` in a store's error text; the password must not reach our message. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi;

/** Store failures are closed: anything but an A1Error becomes a transient StorageFailure. */
async function fromStore<T>(what: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof A1Error) throw err;
    const detail = (err instanceof Error ? err.message : String(err)).replace(URL_CREDENTIALS, '$1***@');
    throw new A1Error('StorageFailure', { reason: `${what} failed: ${detail}` }, { cause: err });
  }
}

async function checkRevocations(chain: SignedChain, revocations: RevocationStore | undefined): Promise<void> {
  if (!revocations) return;
  for (const cert of chain.certs) {
    const fingerprint = certFingerprint(cert);
    if (await fromStore('revocation lookup', () => revocations.isRevoked(fingerprint))) throw new A1Error('Revoked');
  }
}

async function consumeNonces(chain: SignedChain, clock: Clock, nonces: NonceStore | undefined): Promise<void> {
  if (!nonces) return;
  const list = chain.certs.map((c) => c.nonce);
  const retainUntil = chain.certs.map((c) => satAdd(c.expirationUnix, clock.drift));
  const fresh = await fromStore('nonce consumption', () => nonces.tryConsumeBatch(list, { retainUntil, now: clock.now }));
  if (fresh !== true) throw new A1Error('NonceReplay');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The call's shape, before any check reads it: a chain object with 32-byte keys and a list of
 * cert objects, and options with a valid agent key — a typed WireFormatError, never a TypeError.
 * The agent key is refused as the parsers refuse a small-order delegate: it must be the last
 * delegate, and an in-memory chain was never parsed.
 */
function checkInputs(chain: SignedChain, ctx: VerifyContext): Uint8Array {
  if (!isObject(chain)) throw A1Error.wire('chain must be a SignedChain object');
  fixedBytes(chain.principalPk, 32, 'chain.principalPk');
  fixedBytes(chain.principalScope, 32, 'chain.principalScope');
  if (!Array.isArray(chain.certs)) throw A1Error.wire('chain.certs must be an array of certs');
  chain.certs.forEach((cert, i) => {
    if (!isObject(cert)) throw A1Error.wire(`chain.certs[${i}] must be a cert object`);
  });
  if (!isObject(ctx)) throw A1Error.wire('options must be an object with agentPk and intent');
  const agentPk = fixedBytes(ctx.agentPk, 32, 'agentPk');
  const problem = publicKeyProblem(agentPk);
  if (problem) throw A1Error.wire(`agentPk is ${problem}; refused`);
  return agentPk;
}

/** `items` must be a list of `{ intent, proof? }`; each intent 32 bytes. */
function batchIntents(items: unknown): Uint8Array[] {
  if (!Array.isArray(items)) throw A1Error.wire('items must be an array of { intent, proof? }');
  return items.map((item: unknown, i) => {
    if (!isObject(item)) throw A1Error.wire(`items[${i}] must be an object { intent, proof? }`);
    return fixedBytes(item.intent as Uint8Array, 32, `items[${i}].intent`);
  });
}

/** An empty batch consumes nothing (it authorizes nothing) but refuses a chain already consumed. */
async function checkNoncesUnconsumed(chain: SignedChain, nonces: NonceStore | undefined): Promise<void> {
  if (!nonces) return;
  for (const cert of chain.certs) {
    if (await fromStore('nonce lookup', () => nonces.isConsumed(cert.nonce))) throw new A1Error('NonceReplay');
  }
}

/** Verifies `chain` for one intent and consumes its nonces; throws A1Error naming the failed rule. */
export async function authorize(chain: SignedChain, options: AuthorizeOptions): Promise<VerificationReceipt> {
  const agentPk = checkInputs(chain, options);
  const intent = fixedBytes(options.intent, 32, 'intent');
  const clock = clockOf(options);
  const terminalScope = checkStructure(chain, clock);
  if (!equalBytes(chain.certs[chain.certs.length - 1]!.delegatePk, agentPk)) throw new A1Error('UnauthorizedLeaf');
  const signatures = checkSignatures(chain, options);
  if (signatures) await signatures;
  checkIntent(intent, options.proof ?? emptyProof(), terminalScope);
  // Without stores there is nothing to wait for: the cold path stays free of extra awaits.
  if (options.revocations) await checkRevocations(chain, options.revocations);
  if (options.nonces) await consumeNonces(chain, clock, options.nonces);
  return receiptFor(chain, terminalScope, intent, clock);
}

function receiptFor(chain: SignedChain, terminalScope: Uint8Array, intent: Uint8Array, clock: Clock): VerificationReceipt {
  const receipt: VerificationReceipt = {
    chainDepth: chain.certs.length,
    verifiedScopeRoot: Uint8Array.from(terminalScope),
    intent: Uint8Array.from(intent),
    verifiedAtUnix: clock.now,
    chainFingerprint: chainFingerprint(chain),
  };
  if (chain.namespace !== undefined) receipt.namespace = chain.namespace;
  return receipt;
}

/**
 * Verifies the chain once and each item's intent against it, as the reference's
 * `authorize_batch`: the first item drives the structural check (if it fails, every item fails
 * with `BatchItemFailed` and its reason); a revoked cert or a replayed nonce is reported bare
 * (`Revoked` / `NonceReplay`) for every item, as the reference does; nonces are consumed once, and
 * only when every item passed. An empty batch still has its chain checked (the reference answers
 * `allAuthorized: true` without looking): a chain that does not verify gives `false` and its one
 * error says why; with a nonce store, an empty batch consumes nothing (it authorizes nothing) but
 * a chain whose nonces were already consumed gives `false` with `NonceReplay`.
 */
export async function authorizeBatch(chain: SignedChain, options: AuthorizeBatchOptions): Promise<BatchResult> {
  const agentPk = checkInputs(chain, options);
  const intents = batchIntents(options.items);
  const items = options.items;
  const clock = clockOf(options);
  // The reference wraps what its first item's check found, and reports Revoked / NonceReplay bare.
  // An empty batch has no item to carry the reason: its one error is the reason itself.
  const failAll = (reason: A1Error, bare: boolean): BatchResult => ({
    receipts: items.map(() => null),
    errors:
      items.length === 0
        ? [reason]
        : items.map((_, index) => (bare ? new A1Error(reason.code) : new A1Error('BatchItemFailed', { index, reason: reason.message }, { cause: reason }))),
    allAuthorized: false,
  });

  let terminalScope: Uint8Array;
  try {
    terminalScope = checkStructure(chain, clock);
    if (!equalBytes(chain.certs[chain.certs.length - 1]!.delegatePk, agentPk)) throw new A1Error('UnauthorizedLeaf');
    const signatures = checkSignatures(chain, options);
    if (signatures) await signatures;
    if (items.length > 0) checkIntent(intents[0]!, items[0]!.proof ?? emptyProof(), terminalScope);
    await checkRevocations(chain, options.revocations);
    if (items.length === 0) await checkNoncesUnconsumed(chain, options.nonces);
  } catch (err) {
    if (err instanceof A1Error && err.code !== 'StorageFailure') return failAll(err, err.code === 'Revoked' || err.code === 'NonceReplay');
    throw err;
  }
  if (items.length === 0) return { receipts: [], errors: [], allAuthorized: true };

  const receipts: Array<VerificationReceipt | null> = [];
  const errors: Array<A1Error | null> = [];
  items.forEach((item, index) => {
    try {
      checkIntent(intents[index]!, item.proof ?? emptyProof(), terminalScope);
      receipts.push(receiptFor(chain, terminalScope, intents[index]!, clock));
      errors.push(null);
    } catch (err) {
      receipts.push(null);
      errors.push(new A1Error('BatchItemFailed', { index, reason: (err as Error).message }, { cause: err }));
    }
  });
  if (errors.some((e) => e !== null)) return { receipts, errors, allAuthorized: false };
  try {
    await consumeNonces(chain, clock, options.nonces);
  } catch (err) {
    if (err instanceof A1Error && err.code === 'NonceReplay') return failAll(err, true);
    throw err;
  }
  return { receipts, errors, allAuthorized: true };
}
