/** Unix times for people: ISO dates and "in 3 minutes" / "2 hours ago". */
import { describeSeconds } from './duration.js';

const MAX_DATE_SECONDS = 8_640_000_000_000n; // the largest time a JS Date holds

export function isoTime(unix: bigint): string {
  return unix <= MAX_DATE_SECONDS ? new Date(Number(unix) * 1000).toISOString().replace('.000Z', 'Z') : `${unix} (beyond year 275760)`;
}

export function relativeTime(unix: bigint, now: bigint): string {
  const delta = unix - now;
  if (delta > MAX_DATE_SECONDS || delta < -MAX_DATE_SECONDS) return delta > 0n ? 'in the far future' : 'long ago';
  const seconds = Number(delta);
  if (seconds === 0) return 'now';
  return seconds > 0 ? `in ${describeSeconds(seconds)}` : `${describeSeconds(seconds)} ago`;
}

export function unixNow(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}
