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

describe('what a store prints', () => {
  const password = 'inspect-Pa55-secret';
  const url = `redis://:${password}@127.0.0.1:1/0`;

  it('console.log / util.inspect / JSON of a store never show the password', async () => {
    const { inspect } = await import('node:util');
    const { RedisNonceStore, RedisRevocationStore } = await import('../src/index.js');
    const stores = [RedisNonceStore.fromUrl(url, { timeoutMs: 100 }), RedisRevocationStore.fromUrl(url, { timeoutMs: 100 })];
    for (const store of stores) {
      const shown = [
        inspect(store),
        inspect(store, { depth: Infinity, showHidden: true }),
        inspect(store, { depth: Infinity, showHidden: true, customInspect: false }),
        JSON.stringify(store),
        String(store),
      ].join('\n');
      expect(shown).not.toContain(password);
      expect(inspect(store)).toMatch(/127\.0\.0\.1:1/);
      store.client.disconnect();
    }
  });
});

describe('a malformed Redis URL', () => {
  it('names only the wrong part, never any piece of the password', async () => {
    const { redisSettingsFromEnv } = await import('../src/env.js');
    const cases: Array<[string, string, RegExp]> = [
      // A raw '@' and ':' in the password, and a port that is not a number after them.
      ['redis://:p@ss:w0rd-Secret@cache.internal:63x79/0', 'w0rd-Secret', /the port is not a number/],
      ['redis://:se/cr?et#Pw@cache:6379', 'cr?et#Pw', /contains '\/', '\?' or '#'/],
      ['redis://:Sekr3t@@', 'Sekr3t', /the host is missing/],
      ['redis//:Sekr3t@cache', 'Sekr3t', /scheme must be redis:\/\/ or rediss:\/\//],
    ];
    for (const [url, secretPart, expected] of cases) {
      let message = '';
      try {
        redisSettingsFromEnv({ A1_REDIS_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, url).toMatch(expected);
      expect(message, url).toMatch(/^A1_REDIS_URL: /);
      for (const piece of [secretPart, 'ss:w0rd', 'p@ss', 'se/cr', 'Sekr3t', 'cache']) expect(message, url).not.toContain(piece);
    }
  });
});
