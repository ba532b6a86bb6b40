/**
 * CertBuilder builds and signs one cert. Every build verifies the returned signature against
 * the signer's verifying key before handing the cert out, so a KMS that signs with the wrong key
 * or algorithm produces a SignerError, never a bad cert.
 */
import { fixedBytes, toU64 } from './bytes.js';
import { DEFAULT_MAX_DEPTH, CERT_VERSION, signableBytes, type DelegationCert, type UnsignedCert } from './cert.js';
import { publicKeyProblem, verifyEd25519 } from './ed25519.js';
import { A1Error } from './errors.js';
import { CertExtensions, type ExtensionsInput } from './extensions.js';
import { checkPinnedKey } from './pinned-key.js';
import { SignerError } from './signer-error.js';
import { providerOf, type AsyncSigner, type SignOptions, type Signer } from './signer.js';
import { SubScopeProof } from './subscope.js';

export interface CertBuilderInit {
  delegatePk: Uint8Array;
  scopeRoot: Uint8Array;
  issuedAt: number | bigint;
  expirationUnix: number | bigint;
}

export class CertBuilder {
  private readonly delegatePk: Uint8Array;
  private readonly scopeRoot: Uint8Array;
  private readonly issuedAt: bigint;
  private readonly expirationUnix: bigint;
  private depth = DEFAULT_MAX_DEPTH;
  private nonceBytes: Uint8Array | undefined;
  private proof = SubScopeProof.passthrough();
  private ext = new CertExtensions();

  constructor(init: CertBuilderInit) {
    this.delegatePk = fixedBytes(init.delegatePk, 32, 'delegatePk');
    // A small-order delegate would let anyone, holding no key, sign the next hop.
    const problem = publicKeyProblem(this.delegatePk);
    if (problem) throw A1Error.wire(`delegatePk is ${problem}; refused`);
    this.scopeRoot = fixedBytes(init.scopeRoot, 32, 'scopeRoot');
    this.issuedAt = toU64(init.issuedAt, 'issuedAt');
    this.expirationUnix = toU64(init.expirationUnix, 'expirationUnix');
  }

  maxDepth(depth: number): this {
    if (!Number.isInteger(depth) || depth < 0 || depth > 255) throw A1Error.wire('max_depth must be an integer from 0 to 255');
    this.depth = depth;
    return this;
  }

  /** A fixed 16-byte nonce (for reproducible output); random by default. */
  nonce(nonce: Uint8Array): this {
    this.nonceBytes = fixedBytes(nonce, 16, 'nonce');
    return this;
  }

  scopeProof(proof: SubScopeProof): this {
    this.proof = proof;
    return this;
  }

  extensions(extensions: ExtensionsInput): this {
    this.ext = CertExtensions.from(extensions);
    return this;
  }

  /** Signs with an in-process signer. */
  build(signer: Signer): DelegationCert {
    const delegatorPk = checkVerifyingKey(signer, fromSigner(signer, () => signer.verifyingKey(), 'verifyingKey'));
    const unsigned = this.unsigned(delegatorPk);
    const message = signableBytes(unsigned);
    const signature = fromSigner(signer, () => signer.signMessage(message), 'signMessage');
    return finish(signer, unsigned, message, signature);
  }

  /** Signs with a KMS / HSM / remote signer (an in-process Signer works too). */
  async buildAsync(signer: AsyncSigner | Signer, options: SignOptions = {}): Promise<DelegationCert> {
    if (options.signal?.aborted) {
      throw new SignerError({ provider: providerOf(signer), keyId: keyIdOf(signer), code: 'Aborted', message: 'aborted before signing', cause: options.signal.reason });
    }
    const delegatorPk = checkVerifyingKey(signer, await fromSignerAsync(signer, () => signer.verifyingKey(), 'verifyingKey'));
    const unsigned = this.unsigned(delegatorPk);
    const message = signableBytes(unsigned);
    const signature = await fromSignerAsync(signer, () => signer.signMessage(message, options), 'signMessage');
    return finish(signer, unsigned, message, signature);
  }

  private unsigned(delegatorPk: Uint8Array): UnsignedCert {
    if (this.issuedAt >= this.expirationUnix) {
      throw A1Error.wire(`issued_at (${this.issuedAt}) must be strictly less than expiration_unix (${this.expirationUnix})`);
    }
    return {
      version: CERT_VERSION,
      delegatorPk,
      delegatePk: this.delegatePk,
      scopeRoot: this.scopeRoot,
      scopeProof: this.proof,
      nonce: this.nonceBytes ?? globalThis.crypto.getRandomValues(new Uint8Array(16)),
      issuedAt: this.issuedAt,
      expirationUnix: this.expirationUnix,
      maxDepth: this.depth,
      extensions: this.ext,
    };
  }
}

function keyIdOf(signer: Signer | AsyncSigner): string | undefined {
  const id = (signer as AsyncSigner).keyId;
  return typeof id === 'string' ? id : undefined;
}

function wrap(signer: Signer | AsyncSigner, err: unknown, call: string): SignerError {
  if (err instanceof SignerError) return err;
  return new SignerError({
    provider: providerOf(signer),
    keyId: keyIdOf(signer),
    code: 'BackendError',
    message: `${call} failed: ${err instanceof Error ? err.name : typeof err}`,
    cause: err,
  });
}

function fromSigner<T>(signer: Signer, call: () => T, name: string): T {
  try {
    return call();
  } catch (err) {
    throw wrap(signer, err, name);
  }
}

async function fromSignerAsync<T>(signer: Signer | AsyncSigner, call: () => T | Promise<T>, name: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw wrap(signer, err, name);
  }
}

function invalid(signer: Signer | AsyncSigner, code: 'InvalidResponse' | 'SignatureMismatch', message: string): SignerError {
  return new SignerError({ provider: providerOf(signer), keyId: keyIdOf(signer), code, message });
}

function checkVerifyingKey(signer: Signer | AsyncSigner, key: unknown): Uint8Array {
  // A signer reporting a small-order key could answer one constant signature that "verifies".
  return checkPinnedKey(key, { provider: providerOf(signer), keyId: keyIdOf(signer) });
}

function finish(signer: Signer | AsyncSigner, unsigned: UnsignedCert, message: Uint8Array, signature: unknown): DelegationCert {
  const fail = (code: 'InvalidResponse' | 'SignatureMismatch', message: string) => invalid(signer, code, message);
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw fail('InvalidResponse', `signature is not 64 bytes (got ${signature instanceof Uint8Array ? signature.length : typeof signature})`);
  }
  if (!verifyEd25519(unsigned.delegatorPk, message, signature)) {
    throw fail('SignatureMismatch', 'signature does not verify against the verifying key (wrong key or algorithm?)');
  }
  return { ...unsigned, signature: Uint8Array.from(signature) };
}
