/** Unix seconds as ISO 8601 (UTC), or "unix N" when the value is beyond what a Date can show (u64 times). */
export function isoTime(unix: bigint): string {
  const ms = Number(unix) * 1000;
  if (!(Math.abs(ms) <= 8.64e15)) return `unix ${unix}`;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
