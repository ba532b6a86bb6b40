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
        A1_REDIS_NONCE_RECOVER_AFTER_SECS: '90000',
        A1_REDIS_EVICTION_CHECK: 'skip',
        A1_REDIS_EVICTION_RECHECK_SECS: '5',
        A1_REDIS_AUTO_ARM: 'false',
        A1_REDIS_SKEW_MARGIN_SECS: '60',
      }),
    ).toEqual({
      url: 'rediss://:pw@cache:6380/2',
      noncePrefix: '{acme:nonce}:',
      revocationPrefix: '{acme:revoked}:',
      nonceTtlSeconds: 3600,
      revocationTtlSeconds: 86400,
      nonceRecoverAfterSeconds: 90000,
      common: { timeoutMs: 250, evictionCheck: 'skip', evictionRecheckSeconds: 5, autoArm: false, skewMarginSeconds: 60 },
    });
  });

  it('leaves unset variables out, so the stores keep their defaults', () => {
    expect(redisSettingsFromEnv({ A1_REDIS_URL: 'redis://cache' })).toEqual({ url: 'redis://cache', common: {} });
  });

  it('refuses an unknown eviction check or a flag that is not true/false', () => {
    expect(() => redisSettingsFromEnv({ A1_REDIS_URL: 'redis://cache', A1_REDIS_EVICTION_CHECK: 'off' })).toThrow(
      /A1_REDIS_EVICTION_CHECK must be one of refuse, warn, skip/,
    );
    expect(() => redisSettingsFromEnv({ A1_REDIS_URL: 'redis://cache', A1_REDIS_AUTO_ARM: 'maybe' })).toThrow(
      /A1_REDIS_AUTO_ARM must be true or false/,
    );
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
