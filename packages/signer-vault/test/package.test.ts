import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

describe('package boundaries', () => {
  it('depends on node-vault (and axios, its own HTTP client, to keep response headers) only, with @a1/core as a peer', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['axios', 'node-vault']);
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['@a1/core']);
  });
});
