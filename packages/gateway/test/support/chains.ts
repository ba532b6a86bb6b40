/** Agents and sub-delegations built offline with @a1/core, as a client of the gateway would. */
import { CertBuilder, LocalSigner, parseCert, serializeCert, toHex, type DelegationCert } from '@a1/core';
import type { ContractClient } from './contract-client.js';
import { oneHopChain } from './contract-client.js';

export interface Agent {
  signer: LocalSigner;
  pkHex: string;
}

export function newAgent(): Agent {
  const signer = LocalSigner.generate();
  return { signer, pkHex: toHex(signer.verifyingKey()) };
}

/** Issues a cert for `agent` through the gateway and returns the issue response JSON. */
export async function issueFor(admin: ContractClient, agent: Agent, intents: unknown[] = [{ name: 'trade.equity', params: { symbol: 'AAPL' } }], extra: Record<string, unknown> = {}) {
  const answer = await admin.issueCert({ delegate_pk_hex: agent.pkHex, intents, ...extra });
  if (answer.status !== 201) throw new Error(`issue failed: ${answer.status} ${answer.text}`);
  return answer.json as { cert: unknown; fingerprint_hex: string; scope_root_hex: string };
}

/**
 * A chain of `hops` certs: the gateway's cert to a first agent, then each agent delegating the same
 * scope (pass-through proof) to the next. Returns the chain JSON (reference form) and the last agent.
 */
export async function chainOf(admin: ContractClient, gatewayPkHex: string, hops: number, intents?: unknown[]) {
  const agents = Array.from({ length: hops }, newAgent);
  const issued = await issueFor(admin, agents[0]!, intents);
  const chain = oneHopChain(gatewayPkHex, issued);
  let parent: DelegationCert = parseCert(JSON.stringify(issued.cert));
  for (let i = 1; i < hops; i++) {
    const cert = new CertBuilder({
      delegatePk: agents[i]!.signer.verifyingKey(),
      scopeRoot: parent.scopeRoot,
      issuedAt: parent.issuedAt,
      expirationUnix: parent.expirationUnix,
    }).build(agents[i - 1]!.signer);
    chain.certs.push(JSON.parse(serializeCert(cert)));
    parent = cert;
  }
  return { chain, executor: agents[hops - 1]!, issued };
}
