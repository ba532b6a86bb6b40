import { describe, expect, it } from 'vitest';
import { FOREVER_AFTER_MS, NO_EXPIRY, retentionFor, retentionUntil } from '../src/retention.js';

describe('retention', () => {
  it('keeps a key until retainUntil, in milliseconds', () => {
    expect(retentionUntil(1_000_060n, 1_000_000n)).toBe(60_000n);
  });

  it('keeps a key at least one second, even when retainUntil has passed', () => {
    expect(retentionUntil(1_000_000n, 1_000_000n)).toBe(1_000n);
    expect(retentionUntil(5n, 1_000_000n)).toBe(1_000n);
  });

  it('keeps a key for good when its cert expires beyond what Redis can express', () => {
    expect(retentionUntil(2n ** 64n - 1n, 1_700_000_000n)).toBe(NO_EXPIRY);
    expect(retentionUntil(FOREVER_AFTER_MS / 1000n, 0n)).toBe(FOREVER_AFTER_MS);
  });

  it('turns a configured TTL into milliseconds; none means no expiry', () => {
    expect(retentionFor(86_400)).toBe(86_400_000n);
    expect(retentionFor(0.2)).toBe(1_000n);
    expect(retentionFor(undefined)).toBe(NO_EXPIRY);
  });
});
