/**
 * authorizeBatch: an empty batch has its chain checked (never `true` for a chain that does not
 * verify); a revoked cert or a replayed nonce is reported bare for each item, as the reference does.
 */
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  authorizeBatch,
  certFingerprint,
  intentHash,
  issuePassport,
  LocalSigner,
  MemoryNonceStore,
  MemoryRevocationStore,
  type SignedChain,
} from '../src/index.js';

const now = 1_700_000_000n;
const root = LocalSigner.fromSeed(new Uint8Array(32).fill(21));
const agent = LocalSigner.fromSeed(new Uint8Array(32).fill(22));
const passport = issuePassport({ namespace: 'batch', capabilities: ['trade.equity'], ttlSeconds: 3_600, signer: root, now });
const hop = passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: root, now });
const chain: SignedChain = { ...passport.newChain(), certs: [hop] };
const intent = intentHash('trade.equity');
const base = { agentPk: agent.verifyingKey(), now };

describe('authorizeBatch', () => {
  it('an empty batch of a good chain is authorized; nothing is consumed', async () => {
    const nonces = new MemoryNonceStore();
    await expect(authorizeBatch(chain, { ...base, items: [], nonces })).resolves.toEqual({ receipts: [], errors: [], allAuthorized: true });
    expect(nonces.isConsumed(hop.nonce)).toBe(false);
  });

  it.each([
    ['an expired chain', chain, { now: now + 10_000n }],
    ['an empty chain', { ...chain, certs: [] }, {}],
    ['a chain presented by another agent', chain, { agentPk: root.verifyingKey() }],
    ['a chain with a bad signature', { ...chain, certs: [{ ...hop, signature: hop.signature.map((b, i) => (i === 5 ? b ^ 1 : b)) }] }, {}],
  ])('an empty batch of %s is not authorized', async (_label, bad, extra) => {
    const result = await authorizeBatch(bad as SignedChain, { ...base, ...extra, items: [] });
    expect(result.allAuthorized).toBe(false);
  });

  it('a revoked cert is reported as bare Revoked for every item', async () => {
    const revocations = new MemoryRevocationStore();
    revocations.revoke(certFingerprint(hop));
    const result = await authorizeBatch(chain, { ...base, items: [{ intent }, { intent }], revocations });
    expect(result.allAuthorized).toBe(false);
    expect(result.errors.map((e) => (e as A1Error).code)).toEqual(['Revoked', 'Revoked']);
    expect(result.errors[0]!.message).toBe(new A1Error('Revoked').message);
  });

  it('a replayed chain is reported as bare NonceReplay for every item', async () => {
    const nonces = new MemoryNonceStore();
    expect((await authorizeBatch(chain, { ...base, items: [{ intent }], nonces })).allAuthorized).toBe(true);
    const again = await authorizeBatch(chain, { ...base, items: [{ intent }, { intent }], nonces });
    expect(again.allAuthorized).toBe(false);
    expect(again.errors.map((e) => (e as A1Error).code)).toEqual(['NonceReplay', 'NonceReplay']);
  });

  it('a structural failure is still wrapped as BatchItemFailed naming the reason', async () => {
    const result = await authorizeBatch(chain, { ...base, now: now + 10_000n, items: [{ intent }] });
    expect(result.errors[0]).toMatchObject({ code: 'BatchItemFailed', details: { index: 0, reason: expect.stringMatching(/expired/) } });
  });
});
