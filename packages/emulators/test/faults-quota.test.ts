/**
 * FaultPlan.quota: a time-based quota the way the services meter calls. A manual clock drives
 * the windows, so nothing here depends on how fast the machine is.
 */
import { describe, expect, it } from 'vitest';
import { FaultPlan, parseQuotaRule } from '../src/index.js';

function plannedWithClock(start = 1_000_000): { plan: FaultPlan; clock: { t: number } } {
  const clock = { t: start };
  const plan = new FaultPlan();
  plan.now = () => clock.t;
  return { plan, clock };
}

const throttled = (plan: FaultPlan, operation = 'Sign', keys: string[] = []) =>
  plan.take(operation, keys).some((f) => f.kind === 'throttle');

describe('FaultPlan.quota', () => {
  it('lets `limit` calls through per window and throttles the rest until the window ends', () => {
    const { plan, clock } = plannedWithClock();
    plan.quota({ limit: 2, windowMs: 10_000 });
    expect(throttled(plan)).toBe(false);
    expect(throttled(plan)).toBe(false);
    // However often the client retries inside the window, it stays throttled.
    for (let i = 0; i < 20; i++) {
      clock.t += 100;
      expect(throttled(plan)).toBe(true);
    }
    clock.t = 1_000_000 + 10_000;
    expect(throttled(plan)).toBe(false);
    expect(throttled(plan)).toBe(false);
    expect(throttled(plan)).toBe(true);
  });

  it('says how long until the window ends, rounded up to whole seconds and at least 1', () => {
    const { plan, clock } = plannedWithClock();
    plan.quota({ limit: 0, windowMs: 60_000 });
    expect(plan.take('Sign')).toEqual([{ kind: 'throttle', retryAfterSeconds: 60 }]);
    clock.t += 58_500;
    expect(plan.take('Sign')).toEqual([{ kind: 'throttle', retryAfterSeconds: 2 }]);
    clock.t += 1_499;
    expect(plan.take('Sign')).toEqual([{ kind: 'throttle', retryAfterSeconds: 1 }]);
  });

  it('keeps windows aligned to the first one after idle periods', () => {
    const { plan, clock } = plannedWithClock(0);
    plan.quota({ limit: 1, windowMs: 1_000 });
    clock.t = 5_700; // window [5000, 6000)
    expect(throttled(plan)).toBe(false);
    expect(plan.take('Sign')).toEqual([{ kind: 'throttle', retryAfterSeconds: 1 }]);
    clock.t = 6_000;
    expect(throttled(plan)).toBe(false);
  });

  it('meters only the operation and key it names', () => {
    const { plan } = plannedWithClock();
    plan.quota({ limit: 1, windowMs: 1_000, operation: 'Sign', key: 'alias/root' });
    expect(throttled(plan, 'Sign', ['alias/root'])).toBe(false);
    expect(throttled(plan, 'Sign', ['key-id', 'alias/root'])).toBe(true);
    expect(throttled(plan, 'GetPublicKey', ['alias/root'])).toBe(false);
    expect(throttled(plan, 'Sign', ['alias/other'])).toBe(false);
    expect(throttled(plan, 'Sign')).toBe(false);
  });

  it('combines with queued faults, latency first', () => {
    const { plan } = plannedWithClock();
    plan.quota({ limit: 0, windowMs: 1_000 });
    plan.inject({ fault: { kind: 'latency', ms: 5 }, times: 1 });
    expect(plan.take('Sign').map((f) => f.kind)).toEqual(['latency', 'throttle']);
  });

  it('is removed by clear()', () => {
    const { plan } = plannedWithClock();
    plan.quota({ limit: 0, windowMs: 1_000 });
    plan.clear();
    expect(plan.take('Sign')).toEqual([]);
  });

  it('refuses a quota that cannot be metered', () => {
    const plan = new FaultPlan();
    expect(() => plan.quota({ limit: -1, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => plan.quota({ limit: 1, windowMs: 0 })).toThrow(RangeError);
    expect(() => plan.quota({ limit: Number.NaN, windowMs: 1_000 })).toThrow(RangeError);
  });
});

describe('parseQuotaRule (the command line form)', () => {
  it('reads LIMIT/WINDOW_MS with an optional operation and key', () => {
    expect(parseQuotaRule('60/60000')).toEqual({ limit: 60, windowMs: 60_000 });
    expect(parseQuotaRule('5/1000:Sign')).toEqual({ limit: 5, windowMs: 1000, operation: 'Sign' });
    expect(parseQuotaRule('0/3000:Sign:arn:aws:kms:us-east-1:111122223333:alias/root')).toEqual({
      limit: 0,
      windowMs: 3000,
      operation: 'Sign',
      key: 'arn:aws:kms:us-east-1:111122223333:alias/root',
    });
  });

  it('names the expected form for anything else', () => {
    for (const bad of ['', '5', '5/', '/1000', '5/1s', '-1/1000', '5/0', '5/1000:', '5/1000:9x']) {
      expect(() => parseQuotaRule(bad), bad).toThrow(/LIMIT\/WINDOW_MS|at least 1 ms/);
    }
  });
});
