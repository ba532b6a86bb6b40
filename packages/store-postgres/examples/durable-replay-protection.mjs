import { authorize, CertBuilder, certFingerprint, intentHash, LocalSigner } from '@a1/core';
import { migrate, PostgresNonceStore, PostgresRevocationStore } from '@a1/store-postgres';

// Once per database, before the verifiers start (idempotent; `npx a1-store-postgres migrate` does the same).
await migrate(process.env.A1_PG_URL);

// Two verifiers with their own pools, as two processes or machines would have.
const verifierA = { nonces: PostgresNonceStore.fromEnv(), revocations: PostgresRevocationStore.fromEnv() };
const verifierB = { nonces: PostgresNonceStore.fromEnv(), revocations: PostgresRevocationStore.fromEnv() };

const principal = LocalSigner.generate();
const agent = LocalSigner.generate();
const scope = intentHash('invoice.pay');
const now = BigInt(Math.floor(Date.now() / 1000));
const newChain = () => ({
  principalPk: principal.verifyingKey(),
  principalScope: scope,
  certs: [new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n }).build(principal)],
});
const verify = (verifier, chain) =>
  authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, ...verifier }).then(() => 'accepted', (e) => `refused: ${e.code}`);

const chain = newChain();
console.log(await verify(verifierA, chain)); // accepted
console.log(await verify(verifierB, chain)); // refused: NonceReplay

const other = newChain();
await verifierA.revocations.revoke(certFingerprint(other.certs[0]));
console.log(await verify(verifierB, other)); // refused: Revoked

// Audit: what is revoked, oldest first.
const { revocations } = await verifierB.revocations.list({ limit: 10 });
console.log(`${revocations.length} revocation(s) on record`);

await Promise.all([verifierA, verifierB].flatMap((v) => [v.nonces.close(), v.revocations.close()]));
