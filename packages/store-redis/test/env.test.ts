import { describe, expect, it } from 'vitest';
import { redisSettingsFromEnv } from '../src/env.js';
import { RedisStoreConfigError } from '../src/config-error.js';

describe('redisSettingsFromEnv', () => {
  it('reads A1_REDIS_URL and the optional settings', () => {
    expect(
      redisSettingsFromEnv({
        A1_REDIS_URL: 'rediss://:pw@cache:6380/2',
        A1_REDIS_NONCE_PREFIX: '{acme:nonce}:',
        A1_REDIS_REVOCATION_PREFIX: '{acme:revoked}:',
        A1_REDIS_NONCE_TTL_SECS: '3600',
        A1_REDIS_REVOCATION_TTL_SECS: '86400',
        A1_REDIS_TIMEOUT_MS: '250',
      }),
    ).toEqual({
      url: 'rediss://:pw@cache:6380/2',
      noncePrefix: '{acme:nonce}:',
      revocationPrefix: '{acme:revoked}:',
      nonceTtlSeconds: 3600,
      revocationTtlSeconds: 86400,
      timeoutMs: 250,
    });
  });

  it('requires A1_REDIS_URL', () => {
    expect(() => redisSettingsFromEnv({})).toThrow(/A1_REDIS_URL is not set/);
    expect(() => redisSettingsFromEnv({ A1_REDIS_URL: '  ' })).toThrow(RedisStoreConfigError);
  });

  it('refuses a non-redis URL or a bad number, without echoing the password', () => {
    const bad = () => redisSettingsFromEnv({ A1_REDIS_URL: 'http://:topsecret@cache:80' });
    expect(bad).toThrow(/redis:\/\/ or rediss:\/\//);
    const unparsable = () => redisSettingsFromEnv({ A1_REDIS_URL: 'redis://:topsecret@cache:notaport' });
    expect(unparsable).toThrow(RedisStoreConfigError);
    try {
      unparsable();
    } catch (error) {
      expect((error as Error).message).not.toContain('topsecret');
    }
    expect(() => redisSettingsFromEnv({ A1_REDIS_URL: 'redis://cache', A1_REDIS_TIMEOUT_MS: '-1' })).toThrow(
      /A1_REDIS_TIMEOUT_MS/,
    );
  });
});
