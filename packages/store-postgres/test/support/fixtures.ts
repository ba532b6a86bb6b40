import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import pg from 'pg';
import { expect } from 'vitest';
import { A1Error } from '@a1/core';

export const nonce = (): Uint8Array => new Uint8Array(randomBytes(16));
export const fingerprint = (): Uint8Array => new Uint8Array(randomBytes(32));
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A plain client for looking at (and writing, as another deployment would) the rows directly. */
export async function inspector(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  return client;
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

/** Everything a logger might print about a value, cause included. */
export const printed = (value: unknown): string =>
  `${String(value)}\n${inspect(value, { depth: 10, showHidden: false })}\n${JSON.stringify(value)}`;

export async function storageFailure(promise: Promise<unknown>): Promise<A1Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected a StorageFailure, got success');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(A1Error);
  expect((error as A1Error).code).toBe('StorageFailure');
  expect((error as A1Error).transient).toBe(true);
  return error as A1Error;
}

/**
 * Deadline for stores in tests that are about behaviour, not latency: on a shared 2-core machine
 * a burst of calls can lag the event loop past the 1 s default. Outage tests set their own.
 */
export const SHARED_MACHINE_TIMEOUT_MS = 15_000;
