/** Checks that a secret appears nowhere a user could see an error or a signer. */
import { inspect } from 'node:util';
import { expect } from 'vitest';

export function everyRendering(value: unknown): string {
  const parts = [String(value), inspect(value, { depth: 10, showHidden: true })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect covered it
  }
  if (value instanceof Error) {
    parts.push(value.message, value.stack ?? '');
    let cause: unknown = value.cause;
    while (cause !== undefined) {
      parts.push(String(cause), inspect(cause, { depth: 10, showHidden: true }));
      if (cause instanceof Error) parts.push(cause.stack ?? '');
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return parts.join('\n');
}

export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const text = everyRendering(value);
  for (const secret of secrets) expect(text, `secret leaked into ${String(value)}`).not.toContain(secret);
}
