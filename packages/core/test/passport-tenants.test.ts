/**
 * One root key, several tenants: passports with namespaces tenant-a and tenant-b from the same key
 * have the same principal key and scope; guard binds a chain to its passport's namespace through
 * the first hop's signed `dyolo.passport.namespace` extension.
 */
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  CertBuilder,
  checkPassportChain,
  intentHash,
  issuePassport,
  LocalSigner,
  parseSignedChain,
  serializeSignedChain,
  SubScopeProof,
  IntentTree,
  type SignedChain,
} from '../src/index.js';

const now = 1_700_000_000n;
const rootKey = LocalSigner.fromSeed(new Uint8Array(32).fill(7)); // one KMS key for every tenant
const agent = LocalSigner.fromSeed(new Uint8Array(32).fill(8));
const capabilities = ['trade.equity', 'portfolio.read'];
const tenant = (namespace: string, caps = capabilities) => issuePassport({ namespace, capabilities: caps, ttlSeconds: 86_400, signer: rootKey, now });
const tenantA = tenant('tenant-a');
const tenantB = tenant('tenant-b');

function chainUnder(passport: ReturnType<typeof tenant>): SignedChain {
  const hop = passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: rootKey, now });
  return { ...passport.newChain(), certs: [hop] };
}
const guardOptions = { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' }, now };
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as A1Error);

describe('guard binds a chain to its passport namespace', () => {
  it('the two tenants share the principal key and scope (why the key check alone is not enough)', () => {
    expect(tenantA.holderPk).toEqual(tenantB.holderPk);
    expect(tenantA.scopeRoot()).toEqual(tenantB.scopeRoot());
  });

  it("each tenant's own chain passes its guard, stamped with its namespace", async () => {
    const receipt = await tenantB.guard(chainUnder(tenantB), guardOptions);
    expect(receipt.passportNamespace).toBe('tenant-b');
    expect(receipt.inner.namespace).toBe('tenant-b');
  });

  it("tenant-a's guard refuses a chain issued under tenant-b's passport (as built, and as parsed from JSON)", async () => {
    const chainB = chainUnder(tenantB);
    for (const chain of [chainB, parseSignedChain(serializeSignedChain(chainB)), { ...chainB, namespace: 'tenant-a' }]) {
      const err = await refusal(tenantA.guard(chain, guardOptions));
      expect(err).toBeInstanceOf(A1Error);
      expect(err).toMatchObject({ code: 'RootMismatch' });
      expect(err!.details.reason).toMatch(/namespace "tenant-b", not this passport's "tenant-a"/);
    }
  });

  it('refuses a tenant-b chain under tenant-a even when the capabilities differ', async () => {
    const wider = tenant('tenant-b', [...capabilities, 'audit.read']);
    await expect(tenantA.guard(chainUnder(wider), guardOptions)).rejects.toMatchObject({ code: 'RootMismatch' });
  });

  it('refuses a chain whose first hop carries no passport namespace, and a chain tagged with another one', async () => {
    const tree = IntentTree.build(capabilities.map((c) => intentHash(c)));
    const bare = new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 600n })
      .scopeProof(SubScopeProof.build(tree, [intentHash('trade.equity')]))
      .build(rootKey);
    await expect(tenantA.guard({ ...tenantA.newChain(), certs: [bare] }, guardOptions)).rejects.toMatchObject({
      code: 'RootMismatch',
      details: { reason: expect.stringMatching(/carries no passport namespace/) },
    });
    expect(() => checkPassportChain(tenantA, { ...chainUnder(tenantA), namespace: 'tenant-b' })).toThrow(A1Error);
    expect(() => checkPassportChain(tenantA, chainUnder(tenantA))).not.toThrow();
  });

  it("refuses a chain rooted at another key with tenant-a's namespace and capabilities", async () => {
    const lookAlike = issuePassport({ namespace: 'tenant-a', capabilities, ttlSeconds: 86_400, signer: LocalSigner.fromSeed(new Uint8Array(32).fill(9)), now });
    const hop = lookAlike.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: LocalSigner.fromSeed(new Uint8Array(32).fill(9)), now });
    await expect(tenantA.guard({ ...lookAlike.newChain(), certs: [hop] }, guardOptions)).rejects.toMatchObject({ code: 'RootMismatch' });
  });
});
