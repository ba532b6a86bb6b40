import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

describe('@a1/signer-azure package', () => {
  it('depends on the Azure SDK only: installing it pulls in no other vendor SDK', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@azure/identity', '@azure/keyvault-keys']);
    expect(Object.keys(pkg.peerDependencies)).toEqual(['@a1/core']);
  });
});
