/**
 * Agent passports: a self-signed root cert naming a namespace and its capabilities (as a Merkle
 * scope and a narrowing mask), from which narrower sub-certs are issued to agents.
 */
import { equalBytes, fixedBytes, toHex, toU64 } from './bytes.js';
import { CertBuilder } from './cert-builder.js';
import { certToJson, readCert } from './cert-json.js';
import { verifyCertSignature, type DelegationCert } from './cert.js';
import { createChain, type SignedChain } from './chain.js';
import { A1Error } from './errors.js';
import { authorize, type VerifyContext } from './authorize.js';
import { intentHash, type IntentParams } from './intent.js';
import { join, readArray, readObject, readString, readUnsigned, requireField } from './json-read.js';
import { orderedObject, parseJson, writeJson, type WritableJson } from './json-text.js';
import { IntentTree, type MerkleProof } from './merkle.js';
import { enforceNarrowing, NarrowingMatrix } from './narrowing.js';
import type { VerificationReceipt } from './receipt.js';
import { checkPinnedKey } from './pinned-key.js';
import { SignerError } from './signer-error.js';
import { providerOf, type AsyncSigner, type Signer } from './signer.js';
import { SubScopeProof } from './subscope.js';
import { receiptToJson } from './token.js';

export const PASSPORT_MAGIC = 'dyolo_v2.8.0';
export const PASSPORT_MAX_DEPTH = 255;
export const EXT = {
  version: 'dyolo.passport.v',
  namespace: 'dyolo.passport.namespace',
  mask: 'dyolo.passport.mask',
  caps: 'dyolo.passport.caps',
} as const;

interface IssueCommon {
  /** Lifetime from `now`, seconds. */
  ttlSeconds: number | bigint;
  /** Issue time, unix seconds (default: the system clock). */
  now?: number | bigint;
  /** Fixed 16-byte nonce for reproducible output (default: random). */
  nonce?: Uint8Array;
}

export interface IssuePassportOptions<S extends Signer | AsyncSigner = Signer | AsyncSigner> extends IssueCommon {
  namespace: string;
  capabilities: readonly string[];
  signer: S;
}

export interface IssueSubOptions<S extends Signer | AsyncSigner = Signer | AsyncSigner> extends IssueCommon {
  delegatePk: Uint8Array;
  capabilities: readonly string[];
  signer: S;
  /** Default 16, like the reference's CertBuilder. */
  maxDepth?: number;
}

export interface GuardOptions extends VerifyContext {
  intent: { action: string; params?: IntentParams };
  proof?: MerkleProof;
}

/** A receipt plus the passport facts it was checked against (the reference's ProvableReceipt). */
export interface ProvableReceipt {
  inner: VerificationReceipt;
  passportNamespace: string;
  narrowingCommitment: Uint8Array;
  capabilityMaskHex: string;
}

type MaybePromise<T> = T | Promise<T>;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** Builds with `build` for an in-process signer, `buildAsync` for a remote one. */
function sign(builder: CertBuilder, signer: Signer | AsyncSigner): MaybePromise<DelegationCert> {
  const probe = signer.verifyingKey();
  if (isThenable(probe)) {
    probe.then(undefined, () => undefined); // buildAsync reports the failure
    return builder.buildAsync(signer);
  }
  return builder.build(signer as Signer);
}

function clockNow(now: number | bigint | undefined): bigint {
  return now === undefined ? BigInt(Math.floor(Date.now() / 1000)) : toU64(now, 'now');
}

const U64_MAX = (1n << 64n) - 1n;

/** `now + ttl`, saturating at 2^64 − 1 like the reference's `now.saturating_add(ttl)`. */
function expiryAfter(now: bigint, ttlSeconds: number | bigint): bigint {
  const expiry = now + toU64(ttlSeconds, 'ttlSeconds');
  return expiry > U64_MAX ? U64_MAX : expiry;
}

function capabilityLeaves(capabilities: readonly string[]): Uint8Array[] {
  return capabilities.map((c) => intentHash(c));
}

export class Passport {
  readonly mask: NarrowingMatrix;
  private readonly tree: IntentTree;

  constructor(
    readonly namespace: string,
    readonly capabilities: readonly string[],
    readonly cert: DelegationCert,
  ) {
    this.mask = NarrowingMatrix.fromCapabilities(capabilities);
    this.tree = IntentTree.build(capabilityLeaves(capabilities));
  }

  get holderPk(): Uint8Array {
    return Uint8Array.from(this.cert.delegatePk);
  }

  /** The Merkle root of the capability leaves (not namespace-bound). */
  scopeRoot(): Uint8Array {
    return this.tree.root();
  }

  /** Issues a narrower cert to an agent; PassportNarrowingViolation when it asks for more. */
  issueSub(options: IssueSubOptions<Signer>): DelegationCert;
  issueSub(options: IssueSubOptions<AsyncSigner>): Promise<DelegationCert>;
  issueSub(options: IssueSubOptions): MaybePromise<DelegationCert>;
  issueSub(options: IssueSubOptions): MaybePromise<DelegationCert> {
    const requested = NarrowingMatrix.fromCapabilities(options.capabilities);
    enforceNarrowing(requested, this.mask);
    const leaves = capabilityLeaves(options.capabilities);
    const subTree = IntentTree.build(leaves);
    const proof = SubScopeProof.build(this.tree, leaves);
    const now = clockNow(options.now);
    const builder = new CertBuilder({
      delegatePk: fixedBytes(options.delegatePk, 32, 'delegatePk'),
      scopeRoot: subTree.root(),
      issuedAt: now,
      expirationUnix: expiryAfter(now, options.ttlSeconds),
    })
      .scopeProof(proof)
      .extensions({ [EXT.version]: 1, [EXT.namespace]: this.namespace, [EXT.mask]: requested.toHex() });
    if (options.maxDepth !== undefined) builder.maxDepth(options.maxDepth);
    if (options.nonce) builder.nonce(options.nonce);
    const holder = this.cert.delegatePk;
    const checkHolder = (cert: DelegationCert): DelegationCert => {
      if (!equalBytes(cert.delegatorPk, holder)) {
        throw new SignerError({
          provider: providerOf(options.signer),
          keyId: (options.signer as AsyncSigner).keyId,
          code: 'Misconfigured',
          message: `signer key ${toHex(cert.delegatorPk)} is not the passport holder ${toHex(holder)}`,
        });
      }
      return cert;
    };
    const cert = sign(builder, options.signer);
    return isThenable(cert) ? (cert as Promise<DelegationCert>).then(checkHolder) : checkHolder(cert);
  }

  /** An empty chain anchored at the passport key and scope, tagged with the namespace. */
  newChain(): SignedChain {
    return createChain(this.cert.delegatePk, this.scopeRoot(), this.namespace);
  }

  /**
   * Checks the action against the passport mask, that the chain belongs to this passport (its
   * key, scope and namespace: see `checkPassportChain`), then authorizes the chain.
   */
  async guard(chain: SignedChain, options: GuardOptions): Promise<ProvableReceipt> {
    if (!this.mask.has(options.intent.action)) throw new A1Error('PassportNarrowingViolation');
    checkPassportChain(this, chain);
    const inner = await authorize(chain, { ...options, intent: intentHash(options.intent.action, options.intent.params) });
    return {
      inner,
      passportNamespace: this.namespace,
      narrowingCommitment: this.mask.commitment(),
      capabilityMaskHex: this.mask.toHex(),
    };
  }
}

/**
 * RootMismatch unless `chain` was issued under `passport`: anchored at its key and scope, and its
 * first hop (signed by the passport key) carries the passport's namespace in its
 * `dyolo.passport.namespace` extension, as `issueSub` writes it. The reference leaves this to the
 * caller. Without the key check another passport with the same namespace and capabilities would
 * pass; without the namespace check one root key's tenants would pass each other's guards (the
 * chain JSON carries no namespace; the signed extension is the only binding the format has).
 */
export function checkPassportChain(passport: Passport, chain: SignedChain): void {
  if (!equalBytes(chain.principalPk, passport.cert.delegatePk) || !equalBytes(chain.principalScope, passport.scopeRoot())) {
    throw new A1Error('RootMismatch', { reason: 'the chain is not anchored at this passport\'s key and scope' });
  }
  const issued = chain.certs[0]?.extensions.get(EXT.namespace);
  if (chain.certs.length > 0 && !(issued?.type === 'Str' && issued.value === passport.namespace)) {
    const found = issued?.type === 'Str' ? `namespace "${issued.value.slice(0, 64)}"` : 'no passport namespace';
    throw new A1Error('RootMismatch', { reason: `the chain's first hop carries ${found}, not this passport's "${passport.namespace}"` });
  }
  if (chain.namespace !== undefined && chain.namespace !== passport.namespace) {
    throw new A1Error('RootMismatch', { reason: `the chain is tagged namespace "${chain.namespace.slice(0, 64)}", not this passport's "${passport.namespace}"` });
  }
}

export function issuePassport(options: IssuePassportOptions<Signer>): Passport;
export function issuePassport(options: IssuePassportOptions<AsyncSigner>): Promise<Passport>;
export function issuePassport(options: IssuePassportOptions): MaybePromise<Passport>;
export function issuePassport(options: IssuePassportOptions): MaybePromise<Passport> {
  const { namespace, capabilities } = options;
  if (typeof namespace !== 'string') throw A1Error.wire('namespace must be a string');
  if (!Array.isArray(capabilities) || !capabilities.every((c) => typeof c === 'string')) {
    throw A1Error.wire('capabilities must be a list of strings');
  }
  const mask = NarrowingMatrix.fromCapabilities(capabilities);
  const tree = IntentTree.build(capabilityLeaves(capabilities));
  const now = clockNow(options.now);
  // The signer's kind is already known from its key (value or promise): build accordingly.
  const finish = (holderPk: Uint8Array, remote: boolean): MaybePromise<Passport> => {
    const builder = new CertBuilder({
      delegatePk: holderPk,
      scopeRoot: tree.root(),
      issuedAt: now,
      expirationUnix: expiryAfter(now, options.ttlSeconds),
    })
      .maxDepth(PASSPORT_MAX_DEPTH)
      .extensions({
        [EXT.version]: 1,
        [EXT.namespace]: namespace,
        [EXT.mask]: mask.toHex(),
        [EXT.caps]: [...capabilities],
      });
    if (options.nonce) builder.nonce(options.nonce);
    const make = (c: DelegationCert) => new Passport(namespace, [...capabilities], c);
    return remote ? builder.buildAsync(options.signer).then(make) : make(builder.build(options.signer as Signer));
  };
  // The root is self-signed: its delegate is the signer's own key.
  const key = options.signer.verifyingKey();
  if (isThenable(key)) {
    return (async () => {
      let pk: Uint8Array;
      try {
        pk = (await key) as Uint8Array;
      } catch (err) {
        if (err instanceof SignerError) throw err;
        throw new SignerError({ provider: providerOf(options.signer), keyId: (options.signer as AsyncSigner).keyId, code: 'BackendError', message: 'verifyingKey failed', cause: err });
      }
      return finish(fixedVerifyingKey(options.signer, pk), true);
    })();
  }
  return finish(fixedVerifyingKey(options.signer, key as Uint8Array), false);
}

function fixedVerifyingKey(signer: Signer | AsyncSigner, key: unknown): Uint8Array {
  // Refused before anything is signed: a small-order root would let anyone forge its certs.
  return checkPinnedKey(key, { provider: providerOf(signer), keyId: (signer as AsyncSigner).keyId });
}

// ---- the passport file ----------------------------------------------------------------------

/** The reference's `save()` text: pretty JSON with `a1_passport`, …, `_magic`. */
export function savePassport(passport: Passport): string {
  return writeJson(
    orderedObject([
      ['a1_passport', 1],
      ['namespace', passport.namespace],
      ['capability_mask_hex', passport.mask.toHex()],
      ['capabilities', [...passport.capabilities]],
      ['cert', certToJson(passport.cert)],
      ['_magic', PASSPORT_MAGIC],
    ]),
    true,
  );
}

/**
 * Loads a passport file. Beyond the shape, it checks what a tampered file would break: the magic,
 * the mask against the capabilities, the cert's self-signature and its scope root.
 */
export function loadPassport(text: string): Passport {
  const obj = readObject(parseJson(text), '');
  const magic = readString(requireField(obj, '_magic', ''), '_magic');
  if (magic !== PASSPORT_MAGIC) throw A1Error.wire(`_magic: expected ${PASSPORT_MAGIC}, found ${magic.slice(0, 40)}`);
  const version = readUnsigned(requireField(obj, 'a1_passport', ''), 'a1_passport');
  if (version !== 1n) throw A1Error.wire(`a1_passport: unsupported passport file version ${version}`);
  const namespace = readString(requireField(obj, 'namespace', ''), 'namespace');
  const capabilities = readArray(requireField(obj, 'capabilities', ''), 'capabilities', 4096).map((c, i) =>
    readString(c, join('capabilities', i)),
  );
  const maskHex = readString(requireField(obj, 'capability_mask_hex', ''), 'capability_mask_hex');
  const cert = readCert(requireField(obj, 'cert', ''), 'cert');
  if (capabilities.length === 0) throw A1Error.wire('capabilities: a passport needs at least one capability');
  const passport = new Passport(namespace, capabilities, cert);
  if (!passport.mask.equals(NarrowingMatrix.fromHex(maskHex))) {
    throw A1Error.wire('capability_mask_hex does not match the capabilities');
  }
  if (!equalBytes(cert.delegatorPk, cert.delegatePk)) throw A1Error.wire('cert: a passport root cert must be self-signed');
  if (!equalBytes(cert.scopeRoot, passport.scopeRoot())) throw A1Error.wire('cert.scope_root does not match the capabilities');
  if (!verifyCertSignature(cert)) throw A1Error.wire('cert.signature does not verify');
  // The file's label is unsigned; the signed extension is the namespace. An edited label would
  // show another tenant's name and mint hops tagged with it.
  const signed = cert.extensions.get(EXT.namespace);
  if (!(signed?.type === 'Str' && signed.value === namespace)) {
    const found = signed?.type === 'Str' ? `"${signed.value.slice(0, 64)}"` : 'no namespace';
    throw A1Error.wire(`namespace: the file says "${namespace.slice(0, 64)}" but the signed ${EXT.namespace} extension says ${found}`);
  }
  return passport;
}

/** The reference's serde form of `DyoloPassport`. */
export function passportToJson(passport: Passport): WritableJson {
  return orderedObject([
    ['namespace', passport.namespace],
    ['capability_mask', orderedObject([['mask', Array.from(passport.mask.toBytes())]])],
    ['capabilities', [...passport.capabilities]],
    ['cert', certToJson(passport.cert)],
  ]);
}

export function serializeProvableReceipt(receipt: ProvableReceipt): string {
  return writeJson(
    orderedObject([
      ['inner', receiptToJson(receipt.inner)],
      ['passport_namespace', receipt.passportNamespace],
      ['narrowing_commitment', Array.from(receipt.narrowingCommitment)],
      ['capability_mask_hex', receipt.capabilityMaskHex],
    ]),
  );
}
