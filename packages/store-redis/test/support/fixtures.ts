import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const nonce = (): Uint8Array => new Uint8Array(randomBytes(16));
export const fingerprint = (): Uint8Array => new Uint8Array(randomBytes(32));
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A plain client for looking at the keys a store left behind. */
export function inspector(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** Settles every promise and sorts the outcomes: true / false / ok (any other value) / error code. */
export async function outcomes(promises: Promise<unknown>[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const result of await Promise.allSettled(promises)) {
    const key =
      result.status === 'fulfilled'
        ? typeof result.value === 'boolean'
          ? String(result.value)
          : 'ok'
        : ((result.reason as { code?: string }).code ?? (result.reason as Error).name);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Deadline for stores in tests that are about behaviour, not latency: on a shared 2-core machine
 * a burst of calls can lag the event loop past the 1 s default. Outage tests set their own.
 */
export const SHARED_MACHINE_TIMEOUT_MS = 10_000;
