import { A1Error } from '@a1/core';
import { redact } from './redaction.js';

/**
 * Turns whatever a database call threw into core's transient `StorageFailure`, so `authorize`
 * fails closed and callers may retry. The cause is a fresh error carrying only the redacted
 * message and the SQLSTATE (`code`): pg's errors carry the failing query's text and connection
 * details a logged cause need not print.
 */
export function toStorageFailure(error: unknown, operation: string, secrets: readonly string[]): A1Error {
  if (error instanceof A1Error) return error;
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  const cause = new Error(message);
  if (error instanceof Error) cause.name = error.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') (cause as Error & { code?: string }).code = code;
  const hint = code === READ_ONLY_SQLSTATE ? ' (the server is read-only: a replica, or a primary demoted by failover)' : '';
  return new A1Error('StorageFailure', { reason: `postgres ${operation}: ${message}${hint}` }, { cause });
}

/** `read_only_sql_transaction`: a write reached a hot standby or a read-only session. */
export const READ_ONLY_SQLSTATE = '25006';
