// Which text counts as key material (never printed): hex with or without separators, base64 and
// base64url of 32 or 64 bytes; and ordinary paths that do not.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeKeyMaterial } from '../src/index.js';

describe('looksLikeKeyMaterial', () => {
  it('catches 32- and 64-byte keys in hex, base64 and base64url, with separators or inside a path', () => {
    // Fixed pseudo-random keys (hashes), so the test sees the same keys on every run.
    const keyOf = (i: number, bytes: number) => createHash('sha512').update(`key ${i}`).digest().subarray(0, bytes);
    for (let i = 0; i < 200; i++) {
      for (const key of [keyOf(i, 32), keyOf(i, 64)]) {
        const hex = key.toString('hex');
        for (const text of [
          hex,
          `0x${hex}`,
          hex.match(/../g)!.join(':'),
          hex.match(/.{8}/g)!.join('-'),
          hex.match(/.{4}/g)!.join(' '),
          key.toString('base64'),
          key.toString('base64').replace(/=+$/, ''),
          key.toString('base64url'),
          key.toString('base64').match(/.{1,16}/g)!.join('\n'),
          `/home/user/${key.toString('base64')}`,
          `/tmp/${key.toString('base64url')}.key`,
        ]) {
          expect(looksLikeKeyMaterial(text), text).toBe(true);
        }
      }
    }
  });

  it('catches a piece of a hex seed', () => {
    expect(looksLikeKeyMaterial('./9d61b19deffd5a60ba84')).toBe(true);
  });

  it('lets ordinary paths through', () => {
    for (const path of [
      './root.key',
      '/home/alice/projects/a1-signers/keys/agent-a.key',
      '/var/lib/a1/keys/550e8400-e29b-41d4-a716-446655440000.key',
      '/srv/this_is_a_very_long_directory_name_for_keys/root.key',
      'C:/Users/bob/AppData/Roaming/a1/root-2024-11-30.key',
    ]) {
      expect(looksLikeKeyMaterial(path), path).toBe(false);
    }
  });
});
