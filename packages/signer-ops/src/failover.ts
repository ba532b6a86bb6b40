/**
 * `failover([primary, ...replicas], …)`: one signer over several backends holding the same key.
 * Signs on the first healthy member and moves to the next on retryable failures; with
 * `hedgeAfterMs`, a call still unanswered after that long is also sent to the next member and the
 * first good answer wins (the others are aborted). Every answer is checked against the group's key
 * before it is taken, so a member answering garbage is passed over like one that is down;
 * `CertBuilder` still verifies the signature it gets from here, as it does for every signer.
 */
import { SignerError, verifyEd25519, type AsyncSigner, type SignOptions } from '@a1/core';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { KeyAgreement } from './key-agreement.js';
import { OpsEvents } from './ops-events.js';
import { opsError } from './ops-errors.js';
import { identityOf, type WrappedSigner } from './signer-identity.js';

export interface FailoverOptions {
  /** Also send a call to the next member when the current one has not answered after this long. */
  hedgeAfterMs?: number;
  /** When a member's breaker opens and for how long. */
  breaker?: CircuitBreakerOptions;
}

export interface FailoverSigner extends WrappedSigner {
  /** The members in order; `provider`/`keyId` of the group are the primary's. */
  readonly members: readonly AsyncSigner[];
}

export function failover(members: readonly AsyncSigner[], options: FailoverOptions = {}): FailoverSigner {
  if (members.length === 0) throw new TypeError('failover needs at least one signer');
  // The primary's provider and key id; not its health(), which would not speak for the group.
  const { health: _primaryHealth, ...identity } = identityOf(members[0]!);
  if (options.hedgeAfterMs !== undefined && !(Number.isFinite(options.hedgeAfterMs) && options.hedgeAfterMs >= 0)) {
    throw opsError(identity, 'Misconfigured', 'failover: hedgeAfterMs must be a non-negative number', { retryable: false });
  }
  const agreement = new KeyAgreement(members, identity);
  const breakers = members.map(() => new CircuitBreaker(options.breaker));
  const events = new OpsEvents(members);

  /** Members with a closed breaker first (in their order), then the rest as a last resort. */
  function lineUp(): number[] {
    const all = members.map((_, i) => i).filter((i) => !agreement.refused(i));
    return [...all.filter((i) => !breakers[i]!.open), ...all.filter((i) => breakers[i]!.open)];
  }

  async function signOn(index: number, message: Uint8Array, key: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    await agreement.confirm(index);
    const signature = await members[index]!.signMessage(message, { signal });
    if (!(signature instanceof Uint8Array) || signature.length !== 64 || !verifyEd25519(key, message, signature)) {
      const who = identityOf(members[index]!);
      throw opsError(who, 'InvalidResponse', `failover member ${index} answered a signature that does not verify against the group's key`, { retryable: true });
    }
    return signature;
  }

  function signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
    return agreement.key().then((key) => race(message, key, opts.signal));
  }

  function race(message: Uint8Array, key: Uint8Array, callerSignal: AbortSignal | undefined): Promise<Uint8Array> {
    if (callerSignal?.aborted) return Promise.reject(aborted(callerSignal));
    const order = lineUp();
    const running = new Map<number, AbortController>();
    let next = 0;
    let settled = false;
    let hedgeTimer: ReturnType<typeof setTimeout> | undefined;
    const failures: unknown[] = [];

    return new Promise<Uint8Array>((resolve, reject) => {
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(hedgeTimer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
        for (const controller of running.values()) controller.abort(new Error('another failover member answered first'));
        running.clear();
        outcome();
      };
      const onCallerAbort = (): void => finish(() => reject(aborted(callerSignal!)));
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

      const launch = (reason: 'first' | 'failover' | 'hedge', code?: string): boolean => {
        if (settled || next >= order.length) return false;
        const index = order[next++]!;
        if (reason !== 'first') events.emit({ kind: 'retry', reason, member: index, ...(code ? { code } : {}) });
        const controller = new AbortController();
        running.set(index, controller);
        signOn(index, message, key, controller.signal).then(
          (signature) => {
            breakers[index]!.success();
            finish(() => resolve(signature));
          },
          (error: unknown) => {
            running.delete(index);
            if (settled) return;
            failures.push(error);
            const retryable = error instanceof SignerError && error.retryable;
            if (retryable) breakers[index]!.failure();
            // A member found holding another key is left out for good; the others may still sign.
            const moveOn = retryable || agreement.refused(index);
            if (moveOn && launch('failover', (error as SignerError).code)) return;
            if (running.size === 0) finish(() => reject(groupFailure(failures)));
          },
        );
        scheduleHedge();
        return true;
      };

      const scheduleHedge = (): void => {
        clearTimeout(hedgeTimer);
        if (options.hedgeAfterMs === undefined || next >= order.length) return;
        hedgeTimer = setTimeout(() => launch('hedge'), options.hedgeAfterMs);
      };

      if (!launch('first')) finish(() => reject(groupFailure(failures)));
    });
  }

  /** One member's non-retryable error as is; otherwise the last failure, or all of them. */
  function groupFailure(failures: unknown[]): unknown {
    const decisive = failures.find((e) => !(e instanceof SignerError && e.retryable));
    if (failures.length === 0) return opsError(identity, 'Misconfigured', 'every failover member holds a key other than the group key', { retryable: false });
    if (decisive !== undefined) return decisive;
    if (failures.length === 1) return failures[0];
    const last = failures[failures.length - 1] as SignerError;
    return opsError(identity, last.code, `every failover member failed (${failures.map((e) => (e as SignerError).code).join(', ')}); last: ${last.message}`, {
      retryable: true,
      cause: new AggregateError(failures, 'failover members'),
    });
  }

  function aborted(signal: AbortSignal): SignerError {
    return opsError(identity, 'Aborted', 'the caller aborted the signature', { retryable: false, cause: signal.reason });
  }

  return {
    ...identity,
    members,
    verifyingKey: () => agreement.key().then((k) => k.slice()),
    signMessage,
    onOpsEvent: (listener) => events.subscribe(listener),
    async close(): Promise<void> {
      await Promise.all(members.map((m) => m.close?.()));
    },
  };
}
