/**
 * An in-process stand-in for a remote key backend, so the testkit can be tested without any
 * vendor SDK: it holds real Ed25519 keys (LocalSigner), counts calls per operation, and
 * misbehaves on demand. A test double for a hypothetical KMS, not a vendor SDK.
 */
import { LocalSigner } from '@a1/core';

export type BackendFaultKind =
  | 'throttle'
  | 'unavailable'
  | 'hang'
  | 'garbage-signature'
  | 'wrong-key-signature'
  | 'truncated'
  | 'access-denied';

export type Operation = 'GetPublicKey' | 'Sign';

interface Rule {
  kind: BackendFaultKind;
  operation?: Operation;
  remaining: number;
}

/** What the backend answers with when it refuses: a status like a REST API's. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BackendKey {
  type: 'ed25519' | 'p256';
  /** Key material: what a real backend never lets out, so tests can look for it in leaks. */
  seed: Uint8Array;
  signer: LocalSigner;
}

export class FakeBackend {
  readonly keys = new Map<string, BackendKey>();
  private readonly rules: Rule[] = [];
  private readonly counts = new Map<Operation, number>();
  /** Every hung call, released with an error on `clear()` or when its caller gives up. */
  private readonly hung = new Set<(error: Error) => void>();

  constructor(readonly acceptedToken: string) {}

  addKey(name: string, type: BackendKey['type'] = 'ed25519'): this {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    this.keys.set(name, { type, seed, signer: LocalSigner.fromSeed(seed) });
    return this;
  }

  inject(kind: BackendFaultKind, options: { operation?: Operation; times?: number } = {}): void {
    this.rules.push({ kind, operation: options.operation, remaining: options.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules.length = 0;
    for (const release of this.hung) release(new BackendError(503, 'Shutdown', 'backend reset'));
    this.hung.clear();
  }

  calls(operation: Operation): number {
    return this.counts.get(operation) ?? 0;
  }

  async getPublicKey(token: string, name: string, signal?: AbortSignal): Promise<{ type: string; publicKey: Uint8Array }> {
    const key = await this.enter('GetPublicKey', token, name, signal);
    const fault = this.take('GetPublicKey', ['truncated']);
    if (fault === 'truncated') return { type: key.type, publicKey: key.signer.verifyingKey().slice(0, 20) };
    // A P-256 key's public point is 65 bytes; only its type matters to a signer that checks.
    return { type: key.type, publicKey: key.type === 'ed25519' ? key.signer.verifyingKey() : new Uint8Array(65).fill(4) };
  }

  async sign(token: string, name: string, message: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const key = await this.enter('Sign', token, name, signal);
    if (key.type !== 'ed25519') throw new BackendError(400, 'UnsupportedOperation', `key ${name} cannot sign with Ed25519`);
    switch (this.take('Sign', ['garbage-signature', 'wrong-key-signature', 'truncated'])) {
      case 'garbage-signature':
        return crypto.getRandomValues(new Uint8Array(64));
      case 'wrong-key-signature':
        return LocalSigner.generate().signMessage(message);
      case 'truncated':
        return key.signer.signMessage(message).slice(0, 40);
      default:
        return key.signer.signMessage(message);
    }
  }

  /** Counts the call, applies faults that refuse it, and finds the key. */
  private async enter(operation: Operation, token: string, name: string, signal?: AbortSignal): Promise<BackendKey> {
    this.counts.set(operation, this.calls(operation) + 1);
    await new Promise((resolve) => setImmediate(resolve)); // answer asynchronously, like a network
    const refusal = this.take(operation, ['throttle', 'unavailable', 'hang', 'access-denied']);
    if (refusal === 'hang') await this.hang(signal);
    if (refusal === 'throttle') throw new BackendError(429, 'ThrottlingException', 'rate exceeded');
    if (refusal === 'unavailable') throw new BackendError(503, 'ServiceUnavailable', 'service unavailable');
    if (refusal === 'access-denied' || token !== this.acceptedToken) {
      throw new BackendError(403, 'AccessDenied', 'the credentials are not allowed to use this key');
    }
    const key = this.keys.get(name);
    if (!key) throw new BackendError(404, 'NotFound', `key ${name} does not exist`);
    return key;
  }

  private hang(signal?: AbortSignal): Promise<never> {
    return new Promise<never>((_, reject) => {
      const release = (error: Error) => {
        this.hung.delete(release);
        reject(error);
      };
      this.hung.add(release);
      signal?.addEventListener('abort', () => release(new BackendError(0, 'ConnectionClosed', 'client closed the connection')), {
        once: true,
      });
    });
  }

  /** Consumes one use of the first rule for this operation whose kind is one of `kinds`. */
  private take(operation: Operation, kinds: readonly BackendFaultKind[]): BackendFaultKind | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.operation ?? operation) === operation && kinds.includes(r.kind));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.kind;
  }
}
