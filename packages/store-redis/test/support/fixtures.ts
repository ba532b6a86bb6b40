import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisNonceStore, RedisRevocationStore } from '../../src/index.js';

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

/**
 * The operator's first-deployment step (`a1-store-redis arm`): arms the nonce and revocation key
 * spaces of a fresh test server, since the stores no longer arm an empty key space by themselves.
 */
export async function armKeySpaces(
  url: string,
  prefixes: { noncePrefix?: string; revocationPrefix?: string } = {},
): Promise<void> {
  const options = { timeoutMs: SHARED_MACHINE_TIMEOUT_MS, evictionCheck: 'skip' as const };
  const nonces = RedisNonceStore.fromUrl(url, { ...options, keyPrefix: prefixes.noncePrefix });
  const revocations = RedisRevocationStore.fromUrl(url, { ...options, keyPrefix: prefixes.revocationPrefix });
  try {
    await Promise.all([nonces.arm(), revocations.arm()]);
  } finally {
    await Promise.all([nonces.close(), revocations.close()]);
  }
}
