/** Lifetimes as operators write them: `90s`, `15m`, `12h`, `30d`, `2w`, or plain seconds. */
import { usageError } from './cli-error.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^(\d{1,12})([smhdw]?)$/;

/** Seconds in a duration string; throws a usage error naming the flag. */
export function parseDuration(text: string, flag = '--ttl'): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw usageError(`${flag} "${text}" is not a duration`, 'use a number and a unit: 90s, 15m, 12h, 30d, 2w');
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  if (seconds <= 0) throw usageError(`${flag} must be longer than zero`);
  if (!Number.isSafeInteger(seconds)) throw usageError(`${flag} "${text}" is too long`);
  return seconds;
}

/** `3 minutes`, `2 hours`, `29 days`: the largest whole unit, for people. */
export function describeSeconds(totalSeconds: number): string {
  const s = Math.abs(Math.round(totalSeconds));
  const units: Array<[string, number]> = [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]];
  for (const [name, size] of units) {
    if (s >= size || size === 1) {
      const n = Math.floor(s / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${s} seconds`;
}
