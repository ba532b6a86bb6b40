// What a failure looks like on stderr: a backend error names its provider and key once, even
// when a signer wraps an inner SignerError's message (issue 11 #1).
import { SignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { describeFailure, formatFailure } from '../src/failure.js';

const count = (text: string, part: string) => text.split(part).length - 1;

describe('formatFailure', () => {
  it('says provider and key once for a SignerError', () => {
    const error = new SignerError({ provider: 'vault-transit', keyId: 'transit/keys/a1-root', code: 'Unavailable', message: 'Vault unreachable during read-key' });
    const text = formatFailure(describeFailure(error));
    expect(text.split('\n')[0]).toBe('a1: Unavailable: vault-transit key transit/keys/a1-root: Vault unreachable during read-key');
    expect(count(text, 'vault-transit')).toBe(1);
  });

  it('a SignerError built from an inner one (a retry giving up) still says them once', () => {
    const inner = new SignerError({ provider: 'vault-transit', keyId: 'transit/keys/a1-root', code: 'Unavailable', message: 'Vault unreachable during read-key' });
    const outer = new SignerError({ provider: 'vault-transit', keyId: 'transit/keys/a1-root', code: 'Unavailable', message: `${inner.message}; gave up after 30000 ms`, cause: inner });
    expect(outer.message).toBe('vault-transit key transit/keys/a1-root: Vault unreachable during read-key; gave up after 30000 ms');
    const text = formatFailure(describeFailure(outer));
    expect(count(text, 'transit/keys/a1-root')).toBe(1);
  });
});
