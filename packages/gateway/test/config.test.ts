import { describe, expect, it } from 'vitest';
import { configFrom, ConfigError, parseListen } from '../src/index.js';

const base = { A1_GATEWAY_SIGNER: 'file:./root.key' };

describe('configuration (file + environment)', () => {
  it('defaults: 127.0.0.1:8080, memory store, safe options off', () => {
    const config = configFrom(base);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.store).toBe('memory:');
    expect(config.publicBaseUrl).toBe('http://localhost:8080');
    expect(config.rateLimitRps).toBe(500);
    expect(config.publicRevocation).toBe(false);
    expect(config.openIssuanceWithoutCredentials).toBe(false);
    expect(config.requireKeyForAuthorize).toBe(false);
    expect(config.redisKeyLayout).toBe('a1');
  });

  it('the environment wins over the file', () => {
    const config = configFrom({ ...base, A1_GATEWAY_LISTEN: '[::1]:9000' }, { listen: '0.0.0.0:1', publicBaseUrl: 'https://x.example', rateLimitRps: 7 });
    expect(config.listen).toEqual({ host: '::1', port: 9000 });
    expect(config.publicBaseUrl).toBe('https://x.example');
    expect(config.rateLimitRps).toBe(7);
  });

  it('the signer is required; the MAC key is required with a shared store and must be 32 bytes', () => {
    expect(() => configFrom({})).toThrow(/A1_GATEWAY_SIGNER/);
    expect(() => configFrom({ ...base, A1_GATEWAY_STORE: 'redis://localhost:6379' })).toThrow(/A1_GATEWAY_MAC_KEY/);
    expect(() => configFrom({ ...base, A1_GATEWAY_MAC_KEY: 'abcd' })).toThrow(ConfigError);
    expect(() => configFrom({ ...base, A1_GATEWAY_MAC_KEY: '00'.repeat(32) })).toThrow(/zeros/);
    expect(configFrom({ ...base, A1_MAC_KEY_HEX: '01'.repeat(32) }).macKey).toHaveLength(32);
  });

  it('upstream rate rules: unparsable → 500, 0 → 1', () => {
    expect(configFrom({ ...base, A1_RATE_LIMIT_RPS: 'lots' }).rateLimitRps).toBe(500);
    expect(configFrom({ ...base, A1_RATE_LIMIT_RPS: '0' }).rateLimitRps).toBe(1);
  });

  it('refuses bad values with the variable named', () => {
    expect(() => parseListen('8080')).toThrow(/A1_GATEWAY_LISTEN/);
    expect(() => configFrom({ ...base, A1_GATEWAY_REDIS_KEY_LAYOUT: 'x' })).toThrow(/A1_GATEWAY_REDIS_KEY_LAYOUT/);
    expect(() => configFrom({ ...base, A1_GATEWAY_TLS_CERT: 'c.pem' })).toThrow(/TLS/);
    expect(() => configFrom({ ...base, A1_TRUSTED_PROXY_MODE: 'forwarded' })).toThrow(/A1_TRUSTED_PROXY_MODE/);
    expect(() => configFrom({ ...base, A1_GATEWAY_PUBLIC_REVOCATION: 'maybe' })).toThrow(/A1_GATEWAY_PUBLIC_REVOCATION/);
  });
});
