import { describe, expect, it } from 'vitest';
import { KeySpace, hashTagOf } from '../src/key-space.js';
import { RedisStoreConfigError } from '../src/config-error.js';

describe('KeySpace', () => {
  it('names a key by prefix and lower-case hex', () => {
    const keys = new KeySpace('{a1:nonce}:', 'nonce');
    expect(keys.key(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('{a1:nonce}:0001abff');
  });

  it('hex-encodes only the view, not the whole underlying buffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 9]);
    expect(new KeySpace('p:', 'nonce').key(backing.subarray(2, 4))).toBe('p:0102');
  });

  it('finds the hash tag Redis Cluster would use', () => {
    expect(hashTagOf('{a1:nonce}:')).toBe('a1:nonce');
    expect(hashTagOf('tenant:{acme}:nonce:')).toBe('acme');
    expect(hashTagOf('a1:nonce:')).toBeUndefined();
    expect(hashTagOf('{}:nonce:{x}')).toBeUndefined(); // an empty first tag hashes the whole key
    expect(hashTagOf('{open:')).toBeUndefined();
  });

  it('refuses a prefix without hash tag when Cluster needs one', () => {
    expect(() => new KeySpace('a1:nonce:', 'nonce').requireHashTag('nonce')).toThrow(RedisStoreConfigError);
    expect(() => new KeySpace('{a1}:n:', 'nonce').requireHashTag('nonce')).not.toThrow();
  });

  it('refuses an empty prefix', () => {
    expect(() => new KeySpace('', 'nonce')).toThrow(RedisStoreConfigError);
  });
});
