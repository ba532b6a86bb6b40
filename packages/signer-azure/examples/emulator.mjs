// Issue a passport and a sub-cert with a key held in the Key Vault emulator, then verify offline.
// Run from packages/signer-azure after `pnpm --filter @a1/signer-azure... build`: node examples/emulator.mjs
import { issuePassport, LocalSigner } from '@a1/core';
import { startAzureKeyVault } from '@a1/emulators';
import { AzureKeyVaultSigner } from '@a1/signer-azure';

const vault = await startAzureKeyVault();
vault.createKey({ name: 'a1-root', kty: 'OKP' }); // Ed25519, Managed HSM preview contract

const signer = new AzureKeyVaultSigner({
  vaultUrl: vault.endpoint,
  keyName: 'a1-root',
  credential: vault.credential(), // any TokenCredential; in Azure: DefaultAzureCredential
  clientOptions: {
    tlsOptions: { ca: vault.ca }, // trust the emulator's CA, nothing else
    disableChallengeResourceVerification: true, // only because 127.0.0.1 is not *.vault.azure.net
  },
});

const agent = LocalSigner.generate();
const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer });
const sub = await passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer });
const chain = passport.newChain();
chain.certs.push(sub);
const receipt = await passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' } });

console.log('signed by', signer.keyId);
console.log('verified offline for namespace', receipt.passportNamespace);
console.log('vault calls', vault.calls.snapshot()); // { Challenge: 2, GetKey: 1, Sign: 2 }
await vault.close();
