// Run from packages/signer-uri after `pnpm --filter @a1/signer-uri... build`: node examples/resolve.mjs
// Resolves a file: signer URI (a seed written here) and a Vault one, loading only the provider each names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSigner, toHex } from '@a1/core';
import { closeSigner, providerPackageFor, signerFromUri } from '@a1/signer-uri';

const dir = mkdtempSync(join(tmpdir(), 'a1-signer-uri-'));
try {
  writeFileSync(join(dir, 'root.key'), `${toHex(LocalSigner.generate().exportSeed())}\n`, { mode: 0o600 });
  const signer = await signerFromUri('file:root.key', { cwd: dir });
  console.log(`${'file:root.key'.padEnd(40)} public key ${toHex(await signer.verifyingKey())}`);
  await closeSigner(signer);

  for (const uri of ['awskms:///alias/a1-root?region=eu-west-1', 'hashivault://a1-root?mount=transit']) {
    console.log(`${uri.padEnd(40)} needs ${providerPackageFor(uri)}`);
  }
  // A provider's own checks run before any network call: no VAULT_ADDR here.
  await signerFromUri('hashivault://a1-root', { env: {} }).catch((error) => console.log(`hashivault without VAULT_ADDR → ${error.code}: ${error.message}`));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
