// Issue a passport and a sub-cert with a Cloud KMS Ed25519 key, then verify offline.
// Runs against the loopback emulator; point GcpKmsSigner at your real key to go live.
import { issuePassport, LocalSigner } from '@a1/core';
import { startGcpKms } from '@a1/emulators';
import { GcpKmsSigner } from '@a1/signer-gcp';

const kms = await startGcpKms();
const { name } = kms.createKey({ project: 'acme', location: 'global', keyRing: 'a1', key: 'root' });

// Real Cloud KMS: new GcpKmsSigner({ name }) and Application Default Credentials.
const signer = new GcpKmsSigner({ name, endpoint: kms.endpoint });
try {
  const passport = await issuePassport({
    namespace: 'acme',
    capabilities: ['trade.equity', 'audit.read'],
    ttlSeconds: 3600,
    signer,
  });
  const agent = LocalSigner.generate();
  const sub = await passport.issueSub({
    delegatePk: agent.verifyingKey(),
    capabilities: ['trade.equity'],
    ttlSeconds: 600,
    signer,
  });
  const chain = passport.newChain();
  chain.certs.push(sub);
  const receipt = await passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' } });
  console.log(`verified offline for namespace ${receipt.passportNamespace}; key ${signer.keyId}`);
  console.log('Cloud KMS calls:', kms.calls.snapshot());
} finally {
  await signer.close();
  await kms.close();
}
