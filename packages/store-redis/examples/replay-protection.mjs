// Two "verifier processes" (here: two pairs of stores on their own connections) share one Redis:
// a chain accepted by one is a replay for the other, and a revocation made by one is honoured
// by the other. Run: A1_REDIS_URL=redis://localhost:6379/0 node examples/replay-protection.mjs
import { authorize, CertBuilder, certFingerprint, intentHash, LocalSigner } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '@a1/store-redis';

const verifierA = { nonces: RedisNonceStore.fromEnv(), revocations: RedisRevocationStore.fromEnv() };
const verifierB = { nonces: RedisNonceStore.fromEnv(), revocations: RedisRevocationStore.fromEnv() };

// A new Redis: arm both key spaces once. A service never does this at start-up: an operator runs
// `npx a1-store-redis arm` on first deployment (README, "Lost data"); this demo's Redis is brand new.
await verifierA.nonces.arm();
await verifierA.revocations.arm();

const health = await verifierA.nonces.health();
if (!health.ok) throw new Error(`Redis is not reachable: ${health.reason}`);

// A principal delegates "invoice.pay" to an agent for one hour.
const principal = LocalSigner.generate();
const agent = LocalSigner.generate();
const scope = intentHash('invoice.pay');
const now = BigInt(Math.floor(Date.now() / 1000));
const newChain = () => ({
  principalPk: principal.verifyingKey(),
  principalScope: scope,
  certs: [
    new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n })
      .build(principal),
  ],
});
const verify = (verifier, chain) =>
  authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, ...verifier }).then(
    () => 'accepted',
    (error) => `refused: ${error.code}`,
  );

const chain = newChain();
console.log('verifier A:', await verify(verifierA, chain)); // accepted
console.log('verifier B, same chain:', await verify(verifierB, chain)); // refused: NonceReplay

const other = newChain();
await verifierA.revocations.revoke(certFingerprint(other.certs[0]));
console.log('verifier B, chain revoked by A:', await verify(verifierB, other)); // refused: Revoked

await Promise.all([...Object.values(verifierA), ...Object.values(verifierB)].map((store) => store.close()));
