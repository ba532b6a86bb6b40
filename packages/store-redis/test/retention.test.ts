import { describe, expect, it } from 'vitest';
import { expiryAfter, expiryIn, FOREVER_AFTER_MS, KEEP } from '../src/retention.js';

describe('retention', () => {
  const nowMs = 1_000_000_000n;

  it("keeps a key until retainUntil plus the skew margin, as a moment on Redis' clock", () => {
    expect(expiryAfter(1_000_060n, 0, nowMs)).toBe('at:1000060000');
    expect(expiryAfter(1_000_060n, 300, nowMs)).toBe('at:1000360000');
  });

  it('does not depend on the calling verifier clock: the same cert gives the same moment', () => {
    expect(expiryAfter(1_000_060n, 300, nowMs)).toBe(expiryAfter(1_000_060n, 300, nowMs - 10_000n));
  });

  it('keeps a key for good when its cert expires beyond what Redis can express', () => {
    expect(expiryAfter(2n ** 64n - 1n, 300, 1_700_000_000_000n)).toBe(KEEP);
    expect(expiryAfter(FOREVER_AFTER_MS / 1000n, 0, 0n)).toBe(`at:${FOREVER_AFTER_MS}`);
  });

  it('turns a configured TTL into milliseconds from now, at least one second; none means no expiry', () => {
    expect(expiryIn(86_400)).toBe('in:86400000');
    expect(expiryIn(0.2)).toBe('in:1000');
    expect(expiryIn(undefined)).toBe(KEEP);
  });
});
