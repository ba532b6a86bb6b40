// The main job, on embedded defaults: issue a passport, delegate two hops with narrowing,
// serialize the chain in the reference's JSON, parse it back and verify it offline.
import {
  A1Error,
  authorize,
  CertBuilder,
  certFingerprint,
  chainFingerprint,
  intentHash,
  issuePassport,
  LocalSigner,
  MemoryNonceStore,
  parseSignedChain,
  serializeSignedChain,
  SubScopeProof,
  IntentTree,
  toHex,
} from '@a1/core';

const step = (n, text) => console.log(`\n${n}. ${text}`);
const short = (bytes) => `${toHex(bytes).slice(0, 16)}…`;
const now = BigInt(Math.floor(Date.now() / 1000));

const human = LocalSigner.generate();
const agentA = LocalSigner.generate();
const agentB = LocalSigner.generate();

step(1, 'The human issues a passport (LocalSigner; a KMS/HSM signer works the same way)');
const passport = issuePassport({
  namespace: 'acme-trading-bot',
  capabilities: ['trade.equity', 'portfolio.read', 'audit.read'],
  ttlSeconds: 24 * 3600,
  signer: human,
});
console.log(`   holder ${short(passport.holderPk)}  capabilities ${passport.capabilities.join(', ')}`);
console.log(`   mask ${passport.mask.toHex()}`);

step(2, 'Hop 1: human → agent A, narrowed to trade.equity + portfolio.read for 1 hour');
const hop1 = passport.issueSub({ delegatePk: agentA.verifyingKey(), capabilities: ['trade.equity', 'portfolio.read'], ttlSeconds: 3600, signer: human });
console.log(`   cert ${short(certFingerprint(hop1))}  scope ${short(hop1.scopeRoot)}`);

step(3, 'Hop 2: agent A → agent B, narrowed again to trade.equity for 10 minutes');
const hop1Tree = IntentTree.build([intentHash('trade.equity'), intentHash('portfolio.read')]);
const hop2 = new CertBuilder({ delegatePk: agentB.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 600n })
  .scopeProof(SubScopeProof.build(hop1Tree, [intentHash('trade.equity')]))
  .build(agentA);
console.log(`   cert ${short(certFingerprint(hop2))}  scope ${short(hop2.scopeRoot)}`);

step(4, "Serialize the chain in the reference's JSON (what Rust agents parse)");
const chain = passport.newChain();
chain.certs.push(hop1, hop2);
const json = serializeSignedChain(chain);
console.log(`   ${json.length} bytes: ${json.slice(0, 96)}…`);

step(5, 'Agent B presents it; the verifier parses it back and verifies offline');
const received = parseSignedChain(json, { namespace: passport.namespace });
const nonces = new MemoryNonceStore();
const receipt = await passport.guard(received, { agentPk: agentB.verifyingKey(), intent: { action: 'trade.equity' }, nonces });
console.log(`   authorized: depth ${receipt.inner.chainDepth}, chain ${short(chainFingerprint(received))}, namespace ${receipt.inner.namespace}`);

step(6, 'What the verifier refuses');
const refused = async (label, run) => {
  try {
    await run();
    console.log(`   ${label}: ACCEPTED (unexpected)`);
    process.exitCode = 1;
  } catch (err) {
    if (!(err instanceof A1Error)) throw err;
    console.log(`   ${label}: ${err.code} — ${err.message}`);
  }
};
await refused('replaying the same chain', () => passport.guard(received, { agentPk: agentB.verifyingKey(), intent: { action: 'trade.equity' }, nonces }));
await refused('agent B asking for audit.read', () => passport.guard(parseSignedChain(json, { namespace: passport.namespace }), { agentPk: agentB.verifyingKey(), intent: { action: 'audit.read' } }));
const tampered = parseSignedChain(json, { namespace: passport.namespace });
tampered.certs[1].expirationUnix -= 60n;
await refused('a tampered hop 2 (expiry moved by a minute)', () => authorize(tampered, { agentPk: agentB.verifyingKey(), intent: intentHash('trade.equity') }));
await refused('agent A presenting B\'s chain', () => authorize(parseSignedChain(json), { agentPk: agentA.verifyingKey(), intent: intentHash('trade.equity') }));
console.log('\nDone: issued, delegated, serialized, parsed and verified with no network.');
