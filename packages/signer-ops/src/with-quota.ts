/**
 * `withQuota(signer, …)`: a token bucket plus an in-flight limit in front of any AsyncSigner, so
 * a burst of issuances queues instead of tripping the KMS quota (AWS KMS meters Sign per second per
 * account and Region: https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html).
 */
import type { AsyncSigner, SignOptions } from '@a1/core';
import { abortableDelay } from './abortable-delay.js';
import { AimdRate, type AimdOptions } from './aimd-rate.js';
import { InFlightLimit } from './in-flight-limit.js';
import { OpsEvents } from './ops-events.js';
import { isThrottle, opsError } from './ops-errors.js';
import { LocalRateBucket, type RateBucket } from './rate-bucket.js';
import { SharedRateBucket, type RedisLike } from './shared-bucket.js';
import { identityOf, type WrappedSigner } from './signer-identity.js';

export interface QuotaOptions {
  /** Sustained signatures per second. Stay a little under the backend's quota (see README). */
  ratePerSecond: number;
  /** Signatures that may go at once after a quiet spell. Default 1. */
  burst?: number;
  /** Calls running against the backend at once. Default: no limit. */
  maxInFlight?: number;
  /**
   * Longest a call may wait in the queue (in-flight slot plus bucket) before it fails with a
   * retryable SignerError `Timeout`; a call whose bucket slot is further away fails at once.
   * Default: no deadline (only the caller's AbortSignal ends the wait).
   */
  queueDeadlineMs?: number;
  /** Keep the bucket in Redis so several processes share one quota. */
  shared?: { redis?: RedisLike; url?: string; key?: string; timeoutMs?: number };
  /** How throttles lower the rate; `false` keeps it fixed. */
  aimd?: AimdOptions | false;
}

export interface QuotaSigner extends WrappedSigner {
  /** The rate in use now (lowered for a while after throttles). */
  currentRatePerSecond(): number;
}

const DEADLINE = Symbol('queue deadline');

export function withQuota(signer: AsyncSigner, options: QuotaOptions): QuotaSigner {
  const identity = identityOf(signer);
  const problem = quotaOptionsProblem(options);
  if (problem) throw opsError(identity, 'Misconfigured', `withQuota: ${problem}`, { retryable: false });
  const burst = options.burst ?? 1;
  const limit = new InFlightLimit(options.maxInFlight ?? Number.POSITIVE_INFINITY);
  const rate = options.aimd === false ? undefined : new AimdRate(options.ratePerSecond, options.aimd ?? {});
  const events = new OpsEvents([signer]);
  let bucket: Promise<RateBucket> | undefined;

  function openBucket(): Promise<RateBucket> {
    if (!options.shared) return (bucket ??= Promise.resolve(new LocalRateBucket()));
    const key = options.shared.key ?? `a1:signer-ops:quota:${identity.keyId ?? identity.provider}`;
    bucket ??= SharedRateBucket.open({ ...options.shared, key }).catch((cause: unknown) => {
      bucket = undefined; // not cached: the next call tries again
      throw cause;
    });
    return bucket;
  }

  const currentRate = (): number => rate?.current() ?? options.ratePerSecond;

  async function waitForTurn(signal: AbortSignal | undefined): Promise<() => void> {
    const started = performance.now();
    const deadline = options.queueDeadlineMs;
    const queueSignal = deadline === undefined ? signal : anySignal(signal, AbortSignal.timeout(deadline));
    let release: (() => void) | undefined;
    try {
      release = await limit.acquire(queueSignal);
      const maxWait = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - (performance.now() - started);
      const waitMs = await (await openBucket()).reserve(1000 / currentRate(), burst, maxWait);
      if (waitMs === undefined) throw DEADLINE;
      await abortableDelay(waitMs, queueSignal);
      return release;
    } catch (cause) {
      release?.();
      throw queueFailure(cause, signal, deadline);
    }
  }

  function queueFailure(cause: unknown, signal: AbortSignal | undefined, deadline: number | undefined): unknown {
    if (signal?.aborted) return opsError(identity, 'Aborted', 'the caller aborted while the call waited for quota', { retryable: false, cause: signal.reason });
    if (cause === DEADLINE || (cause instanceof DOMException && cause.name === 'TimeoutError')) {
      return opsError(identity, 'Timeout', `waited longer than queueDeadlineMs (${deadline} ms) for quota at ${currentRate().toFixed(1)} signatures/s; raise queueDeadlineMs or the quota, or issue fewer at once`, {
        retryable: true,
      });
    }
    return opsError(identity, 'Unavailable', 'the shared quota bucket (Redis) did not answer', { retryable: true, cause });
  }

  return {
    ...identity,
    verifyingKey: () => signer.verifyingKey(),
    async signMessage(message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
      const release = await waitForTurn(opts.signal);
      try {
        return await signer.signMessage(message, opts);
      } catch (error) {
        if (rate && isThrottle(error)) events.emit({ kind: 'throttle', ratePerSecond: rate.throttled() });
        throw error;
      } finally {
        release();
      }
    },
    currentRatePerSecond: currentRate,
    onOpsEvent: (listener) => events.subscribe(listener),
    async close(): Promise<void> {
      const opened = bucket;
      bucket = undefined;
      await Promise.all([identity.close?.(), opened?.then((b) => b.close?.(), () => undefined)]);
    },
  };
}

function anySignal(signal: AbortSignal | undefined, timeout: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function quotaOptionsProblem(o: QuotaOptions): string | undefined {
  if (!(Number.isFinite(o.ratePerSecond) && o.ratePerSecond > 0)) return 'ratePerSecond must be a positive number';
  if (o.burst !== undefined && !(Number.isInteger(o.burst) && o.burst >= 1)) return 'burst must be an integer of at least 1';
  if (o.maxInFlight !== undefined && !(Number.isInteger(o.maxInFlight) && o.maxInFlight >= 1)) return 'maxInFlight must be an integer of at least 1';
  if (o.queueDeadlineMs !== undefined && !(Number.isFinite(o.queueDeadlineMs) && o.queueDeadlineMs > 0)) return 'queueDeadlineMs must be a positive number';
  if (o.shared && !o.shared.redis && !o.shared.url) return 'shared needs `redis` (an ioredis client) or `url`';
  return undefined;
}
