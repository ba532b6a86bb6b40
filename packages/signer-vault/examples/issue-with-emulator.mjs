// Issue a cert with a Vault Transit key and verify it offline, against the loopback emulator.
// Run after `pnpm build`: node examples/issue-with-emulator.mjs
import { authorize, CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { startVaultTransit } from '@a1/emulators';
import { VaultTransitSigner } from '@a1/signer-vault';

const vault = await startVaultTransit({ tls: true }); // HTTPS with a generated CA
vault.createKey({ name: 'a1-root', type: 'ed25519' });
const role = vault.addAppRole({ tokenTtlSeconds: 3600 });

const signer = new VaultTransitSigner({
  endpoint: vault.endpoint,
  keyName: 'a1-root',
  roleId: role.roleId,
  secretId: role.secretId,
  caCert: vault.caCert,
});
const agent = LocalSigner.generate();
const scope = intentHash('trade.equity');
const now = BigInt(Math.floor(Date.now() / 1000));

const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n })
  .buildAsync(signer);

const chain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] };
await authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, now });
const { version } = await signer.pinnedKeyVersion();
console.log(`cert verified, signed by ${signer.keyId} version ${version}`);

await signer.close();
await vault.close();
