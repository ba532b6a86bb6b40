// Issue a passport and a sub-cert with an Ed25519 key held in a PKCS#11 token, then verify the
// chain offline. Configure with A1_PKCS11_* (see the README); run: node examples/issue-passport.mjs
import { LocalSigner, issuePassport, serializeSignedChain } from '@a1/core';
import { Pkcs11Signer } from '@a1/signer-pkcs11';

const root = Pkcs11Signer.fromEnv(); // A1_PKCS11_MODULE, A1_PKCS11_TOKEN, A1_PKCS11_PIN, A1_PKCS11_KEY_LABEL
try {
  const agent = LocalSigner.generate();
  const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer: root });
  const sub = await passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: root });
  const chain = passport.newChain();
  chain.certs.push(sub);

  const now = BigInt(Math.floor(Date.now() / 1000));
  await passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' }, now });
  console.log(`root key  ${root.keyId}`);
  console.log(`verified  passport "acme" → agent, ${chain.certs.length} certs`);
  console.log(serializeSignedChain(chain).slice(0, 120) + '…');
} finally {
  await root.close();
}
