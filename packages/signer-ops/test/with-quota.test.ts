/**
 * The governor in one process, in front of a third-party signer: bucket pacing (counted by
 * reservation, not by the clock), the in-flight limit, AbortSignal and queue deadline while
 * queued, and AIMD after a throttle. Issued through CertBuilder, so every signature is verified.
 */
import { CertBuilder, intentHash, LocalSigner, type AsyncSigner } from '@a1/core';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withQuota } from '../src/index.js';
import { gcraStep } from '../src/rate-bucket.js';
import { plainSigner, signerRejection } from './support/third-party-signer.js';
import { findRedisServer, startRedisServer } from '../../store-redis/test/support/redis-server.mjs';

function issue(signer: AsyncSigner, signal?: AbortSignal) {
  const now = BigInt(Math.floor(Date.now() / 1000));
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 600n }).buildAsync(
    signer,
    signal ? { signal } : {},
  );
}

describe('GCRA step', () => {
  it('lets `burst` calls go at once, then one per interval', () => {
    let tat = 0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const step = gcraStep(tat, 1_000, 10, 3, Number.POSITIVE_INFINITY)!;
      tat = step.tat;
      waits.push(step.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 10, 20, 30]);
  });

  it('reserves nothing when the wait would pass the deadline', () => {
    expect(gcraStep(1_100, 1_000, 10, 1, 50)).toBeUndefined();
    expect(gcraStep(1_100, 1_000, 10, 1, 100)).toEqual({ waitMs: 100, tat: 1_110 });
  });
});

describe('withQuota', () => {
  it('keeps provider and keyId, and issues certs that verify', async () => {
    const inner = plainSigner();
    const governed = withQuota(inner, { ratePerSecond: 1_000, burst: 5 });
    expect(governed.provider).toBe('third-party');
    expect(governed.keyId).toBe('third-party/key-1');
    const certs = await Promise.all(Array.from({ length: 10 }, () => issue(governed)));
    expect(certs).toHaveLength(10);
    expect(inner.calls).toBe(10);
  });

  it('never has more than maxInFlight calls running', async () => {
    const inner = plainSigner();
    inner.delayMs = 20;
    let running = 0;
    let peak = 0;
    const counting: AsyncSigner = {
      verifyingKey: () => inner.verifyingKey(),
      async signMessage(m, o) {
        running += 1;
        peak = Math.max(peak, running);
        try {
          return await inner.signMessage(m, o);
        } finally {
          running -= 1;
        }
      },
    };
    const governed = withQuota(counting, { ratePerSecond: 10_000, burst: 100, maxInFlight: 3 });
    await Promise.all(Array.from({ length: 20 }, () => issue(governed)));
    expect(peak).toBe(3);
  });

  it('a queued call whose caller aborts fails with Aborted and never reaches the backend', async () => {
    const inner = plainSigner();
    const governed = withQuota(inner, { ratePerSecond: 0.5, burst: 1 });
    await issue(governed); // spends the only token: the next call waits ~2 s
    const controller = new AbortController();
    const queued = issue(governed, controller.signal);
    controller.abort();
    const error = await signerRejection(queued);
    expect(error.code).toBe('Aborted');
    expect(error.retryable).toBe(false);
    expect(inner.calls).toBe(1);
  });

  it('a call that would wait past queueDeadlineMs fails with a retryable Timeout naming the deadline', async () => {
    const inner = plainSigner();
    const governed = withQuota(inner, { ratePerSecond: 0.1, burst: 1, queueDeadlineMs: 500 });
    await issue(governed);
    const error = await signerRejection(issue(governed));
    expect(error.code).toBe('Timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('queueDeadlineMs (500 ms)');
    expect(inner.calls).toBe(1);
  });

  it('a call stuck behind the in-flight limit past queueDeadlineMs fails with Timeout', async () => {
    const inner = plainSigner();
    inner.delayMs = 60_000;
    const governed = withQuota(inner, { ratePerSecond: 1_000, maxInFlight: 1, queueDeadlineMs: 200 });
    const controller = new AbortController();
    const slow = issue(governed, controller.signal).catch(() => undefined);
    const error = await signerRejection(issue(governed));
    expect(error.code).toBe('Timeout');
    controller.abort();
    await slow;
    expect(inner.calls).toBe(1);
  });

  it('halves its rate after a throttle and reports it; the throttle reaches the caller', async () => {
    const inner = plainSigner();
    const governed = withQuota(inner, { ratePerSecond: 100, burst: 10 });
    const seen: unknown[] = [];
    governed.onOpsEvent?.((e) => seen.push(e));
    inner.throttleNext = 1;
    const error = await signerRejection(issue(governed));
    expect(error.code).toBe('Throttled');
    expect(governed.currentRatePerSecond()).toBeLessThan(60);
    expect(seen).toEqual([{ kind: 'throttle', ratePerSecond: 50 }]);
    inner.throttleNext = 1;
    await signerRejection(issue(governed));
    expect(governed.currentRatePerSecond()).toBeLessThan(35);
  });

  it('refuses bad options with a Misconfigured SignerError', () => {
    for (const bad of [{ ratePerSecond: 0 }, { ratePerSecond: 10, burst: 0.5 }, { ratePerSecond: 10, maxInFlight: 0 }, { ratePerSecond: 10, shared: {} }]) {
      expect(() => withQuota(plainSigner(), bad)).toThrowError(expect.objectContaining({ code: 'Misconfigured' }));
    }
  });
});

describe('withQuota shared through Redis, before the first connection', () => {
  it.skipIf(!findRedisServer())('many calls queued before Redis connects share one wait (no listener leak warning)', async () => {
    const server = await startRedisServer();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const governed = withQuota(plainSigner(), { ratePerSecond: 1_000, burst: 50, shared: { url: server.url, key: 'a1:test:first-connection', timeoutMs: 30_000 } });
      await Promise.all(Array.from({ length: 30 }, () => issue(governed)));
      await governed.close();
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await server.stop();
    }
  });
});

describe('withQuota never shows the Redis password', () => {
  it('not in inspect or JSON of the signer, nor in the error for a malformed URL', async () => {
    const password = 'hunter2-7f3a9c-secret';
    const governed = withQuota(plainSigner(), { ratePerSecond: 10, shared: { url: `redis://:${password}@127.0.0.1:1/0` } });
    expect(inspect(governed, { depth: 10 })).not.toContain(password);
    expect(JSON.stringify(governed)).not.toContain(password);
    const malformed = withQuota(plainSigner(), { ratePerSecond: 10, shared: { url: `redis://user:${password}/x@host:6379` } });
    const error = await signerRejection(issue(malformed));
    expect(error.code).toBe('Unavailable');
    expect(`${error.message} ${inspect(error, { depth: 10 })}`).not.toContain(password);
  });
});
