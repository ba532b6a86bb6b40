import { describe, expect, it } from 'vitest';
import { A1Error } from '@a1/core';
import { redact } from '../src/redaction.js';
import { toStorageFailure } from '../src/storage-failure.js';

describe('redact', () => {
  it('removes user-info from redis URLs', () => {
    expect(redact('connect redis://user:hunter2@10.0.0.1:6379/0 failed')).toBe(
      'connect redis://***@10.0.0.1:6379/0 failed',
    );
    expect(redact('rediss://:p%40ss@cache.example:6380')).toBe('rediss://***@cache.example:6380');
  });

  it('removes known secrets wherever they appear, raw or URL-encoded', () => {
    expect(redact('WRONGPASS for s3cr3t/x', ['s3cr3t/x'])).toBe('WRONGPASS for ***');
    expect(redact('url had s3cr3t%2Fx', ['s3cr3t/x'])).toBe('url had ***');
  });
});

describe('toStorageFailure', () => {
  it('is a transient StorageFailure whose message, reason and cause carry no secret', () => {
    const original = Object.assign(new Error('ERR auth hunter2 refused'), {
      command: { name: 'auth', args: ['hunter2'] },
      code: 'EAUTH',
    });
    const failure = toStorageFailure(original, 'consume nonces', ['hunter2']);
    expect(failure).toBeInstanceOf(A1Error);
    expect(failure.code).toBe('StorageFailure');
    expect(failure.transient).toBe(true);
    expect(failure.reason).toBe('redis consume nonces: ERR auth *** refused');
    const cause = failure.cause as Error & { code?: string; command?: unknown };
    expect(cause.message).not.toContain('hunter2');
    expect(cause.code).toBe('EAUTH');
    expect(cause.command).toBeUndefined();
    expect(JSON.stringify({ ...failure, message: failure.message, stack: failure.stack, cause: { ...cause, stack: cause.stack } })).not.toContain('hunter2');
  });

  it('lets an A1Error through unchanged', () => {
    const replay = new A1Error('NonceReplay');
    expect(toStorageFailure(replay, 'x', [])).toBe(replay);
  });
});
