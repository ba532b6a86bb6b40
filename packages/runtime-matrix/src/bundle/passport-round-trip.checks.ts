/**
 * Issue a passport, delegate to an agent, carry the chain over the wire (SignedChain JSON) and
 * authorize it, on every Ed25519 backend this runtime has; a tampered hop and an action outside
 * the passport are refused with their A1 errors.
 */
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  authorize,
  intentHash,
  issuePassport,
  LocalSigner,
  MemoryNonceStore,
  nobleBackend,
  nodeBackend,
  parseSignedChain,
  serializeSignedChain,
  webCryptoBackend,
  type Ed25519Backend,
} from '@a1/core';

const backends: Ed25519Backend[] = [nobleBackend, ...(nodeBackend ? [nodeBackend] : []), ...(webCryptoBackend ? [webCryptoBackend] : [])];
const now = Math.floor(Date.now() / 1000);

function issueChain() {
  const holder = LocalSigner.generate();
  const agent = LocalSigner.generate();
  const passport = issuePassport({ namespace: 'matrix', capabilities: ['files.read', 'files.write', 'mail.send'], ttlSeconds: 3600, signer: holder, now });
  const sub = passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['files.read'], ttlSeconds: 600, signer: holder, now });
  const chain = passport.newChain();
  chain.certs.push(sub);
  // Over the wire and back: what a verifier elsewhere receives.
  const received = parseSignedChain(serializeSignedChain(chain), { namespace: passport.namespace });
  return { passport, agent, received };
}

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    if (err instanceof A1Error) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('passport issue → delegate → authorize', () => {
  for (const backend of backends) {
    it(`${backend.name}: guard and authorize accept the delegated action, once under a nonce store`, async () => {
      const { passport, agent, received } = issueChain();
      const receipt = await passport.guard(received, { agentPk: agent.verifyingKey(), intent: { action: 'files.read' }, now, ed25519Backend: backend });
      expect(receipt.inner.chainDepth).toBe(1);
      expect(receipt.passportNamespace).toBe('matrix');
      const nonces = new MemoryNonceStore();
      const once = () => authorize(received, { agentPk: agent.verifyingKey(), intent: intentHash('files.read'), now, nonces, ed25519Backend: backend });
      expect((await once()).chainDepth).toBe(1);
      expect(await refusal(once)).toBe('NonceReplay');
    });

    it(`${backend.name}: an action outside the delegation, a wrong agent and a tampered signature are refused`, async () => {
      const { passport, agent, received } = issueChain();
      const guard = (action: string, agentPk = agent.verifyingKey()) => () => passport.guard(received, { agentPk, intent: { action }, now, ed25519Backend: backend });
      expect(await refusal(guard('mail.delete'))).toBe('PassportNarrowingViolation');
      expect(await refusal(guard('files.write'))).toBe('ScopeViolation');
      expect(await refusal(guard('files.read', LocalSigner.generate().verifyingKey()))).toBe('UnauthorizedLeaf');
      received.certs[0]!.signature[5]! ^= 0x01;
      expect(await refusal(guard('files.read'))).toBe('InvalidSignature');
    });
  }
});
