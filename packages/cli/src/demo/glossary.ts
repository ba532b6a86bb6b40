/** "What is A1": the words the demo uses, printed before it starts (the root README has the same table). */
export const GLOSSARY = `What is A1
  A person or service hands an AI agent a narrow, expiring piece of its authority, which the agent
  can pass on, narrower still, and which anyone can check offline.
  passport      a named root of authority: a self-signed cert under a namespace listing its capabilities
  principal     where authority starts: the root key (here, in a KMS or HSM) and the scope it grants
  holder        the key a passport belongs to; only it issues sub-certs from that passport
  cert / hop    one delegation: a delegator's key signs "this delegate key may act within this scope until T"
  chain         the principal, then one cert per hop (principal → agent A → agent B); verified offline
  scope         what may be done: a Merkle root over capabilities such as trade.equity
  narrowing     each hop keeps or shrinks the scope it was given, never widens it
  ScopeEscalation   a hop asking for more than its delegator holds: refused when ISSUING (nothing is signed)
  ScopeViolation    a valid chain used for an action outside its final scope: refused when VERIFYING
  clock-skew tolerance  verifiers accept a cert 15 s before issued_at and 15 s after expiry (a1 verify --drift)`;
