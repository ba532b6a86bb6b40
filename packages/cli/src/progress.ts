/** Progress for long runs: a redrawn bar on a terminal, nothing until the summary otherwise. */
import type { OutputStream } from './context.js';

export interface Progress {
  tick(failed: boolean): void;
  done(): void;
}

export function createProgress(stream: OutputStream, total: number, label: string, enabled: boolean): Progress {
  let completed = 0;
  let failed = 0;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
    const filled = total === 0 ? width : Math.round((completed / total) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${completed}/${total}${failed ? ` (${failed} failed)` : ''}`);
  };
  if (!enabled) return { tick: () => undefined, done: () => undefined };
  return {
    tick(hasFailed) {
      completed++;
      if (hasFailed) failed++;
      draw(completed === total);
    },
    done() {
      draw(true);
      stream.write('\n');
    },
  };
}
