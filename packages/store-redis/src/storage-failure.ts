import { A1Error } from '@a1/core';
import { redact } from './redaction.js';

/**
 * Turns whatever a Redis call threw into core's transient `StorageFailure`, so `authorize`
 * fails closed and callers may retry. The cause is a fresh error carrying only the redacted
 * message: ioredis attaches the failed command and its arguments (an AUTH password among them)
 * to its errors, and a logged cause must not print them.
 */
export function toStorageFailure(error: unknown, operation: string, secrets: readonly string[]): A1Error {
  if (error instanceof A1Error) return error;
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  const cause = new Error(message);
  if (error instanceof Error) cause.name = error.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') (cause as Error & { code?: string }).code = code;
  return new A1Error('StorageFailure', { reason: `redis ${operation}: ${message}` }, { cause });
}
