// Installing @a1/signer-pkcs11 alone pulls in pkcs11js and nothing from a cloud vendor.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

describe('package dependencies', () => {
  it('depend on pkcs11js only, with @a1/core as a peer', () => {
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['pkcs11js']);
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['@a1/core']);
  });

  it('pkcs11js itself has no runtime dependencies (so no cloud SDK can come in through it)', () => {
    const pkcs11js = JSON.parse(readFileSync(new URL('../node_modules/pkcs11js/package.json', import.meta.url), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkcs11js.dependencies ?? {})).toEqual([]);
  });
});
