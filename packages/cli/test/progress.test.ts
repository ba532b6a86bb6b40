// The batch progress bar (drawn only on a terminal) and the bounded worker pool.
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../src/bounded.js';
import { createProgress } from '../src/progress.js';

describe('progress', () => {
  it('draws a bar on a TTY and ends with the full count and failures', () => {
    const written: string[] = [];
    const tty = { isTTY: true, columns: 80, write: (t: string) => written.push(t) };
    const progress = createProgress(tty, 3, 'issuing', true);
    progress.tick(false);
    progress.tick(true);
    progress.tick(false);
    progress.done();
    const last = written.filter((w) => w.startsWith('\r')).pop()!;
    expect(last).toMatch(/^\rissuing \[#+\] 3\/3 \(1 failed\)$/);
    expect(written.at(-1)).toBe('\n');
  });

  it('writes nothing when disabled (not a terminal)', () => {
    const written: string[] = [];
    const progress = createProgress({ write: (t: string) => written.push(t) }, 2, 'issuing', false);
    progress.tick(false);
    progress.done();
    expect(written).toEqual([]);
  });
});

describe('mapBounded', () => {
  it('keeps at most `limit` in flight and the results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms * 3));
      inFlight--;
      return i;
    });
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});
