// Valid A1 chains for tests and benches, built with core's LocalSigner and CertBuilder, plus
// their wire form so a chain can be handed to another process.
import { CertBuilder, LocalSigner, intentHash, parseSignedChain, serializeSignedChain, toHex, fromHex } from '@a1/core';

/** Keys for a chain of `hops` certs: principal, intermediates, agent. */
export function chainSigners(hops) {
  return Array.from({ length: hops + 1 }, () => LocalSigner.generate());
}

/**
 * A chain of `hops` certs from a principal to an agent (fresh keys unless `signers` are given),
 * all with the same scope; every cert has a fresh random nonce unless `nonces` fixes some.
 * @param {{ hops?: number, nonces?: Uint8Array[], now?: bigint, action?: string, signers?: LocalSigner[] }} [options]
 */
export function buildChain(options = {}) {
  const hops = options.hops ?? 2;
  const now = options.now ?? BigInt(Math.floor(Date.now() / 1000));
  const scope = intentHash(options.action ?? 'invoice.pay');
  const signers = options.signers ?? chainSigners(hops);
  const certs = [];
  for (let i = 0; i < hops; i++) {
    let builder = new CertBuilder({
      delegatePk: signers[i + 1].verifyingKey(),
      scopeRoot: scope,
      issuedAt: now - 60n,
      expirationUnix: now + 3600n,
    });
    const nonce = options.nonces?.[i];
    if (nonce) builder = builder.nonce(nonce);
    certs.push(builder.build(signers[i]));
  }
  const chain = { principalPk: signers[0].verifyingKey(), principalScope: scope, certs };
  return { chain, agentPk: signers[hops].verifyingKey(), intent: scope, now };
}

/** A chain as plain strings, for process.send. */
export function toWire({ chain, agentPk, intent, now }) {
  return { chainJson: serializeSignedChain(chain), agentPk: toHex(agentPk), intent: toHex(intent), now: String(now) };
}

export function fromWire(wire) {
  return {
    chain: parseSignedChain(wire.chainJson),
    agentPk: fromHex(wire.agentPk, 'agentPk'),
    intent: fromHex(wire.intent, 'intent'),
    now: BigInt(wire.now),
  };
}
