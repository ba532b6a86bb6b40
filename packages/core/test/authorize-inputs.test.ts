/**
 * authorize / authorizeBatch on hostile or mistaken inputs: typed A1Errors (never a TypeError),
 * an empty batch that reports why a chain fails and refuses an already consumed chain, and an
 * in-memory chain whose terminal delegate (the agent key) is small-order refused as the parsers do.
 */
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  authorize,
  authorizeBatch,
  CertBuilder,
  CertExtensions,
  intentHash,
  LocalSigner,
  MemoryNonceStore,
  signableBytes,
  SubScopeProof,
  type SignedChain,
  type UnsignedCert,
} from '../src/index.js';

const now = 1_700_000_000n;
const root = LocalSigner.fromSeed(new Uint8Array(32).fill(31));
const agent = LocalSigner.fromSeed(new Uint8Array(32).fill(32));
const scope = intentHash('trade');
const cert = new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now - 5n, expirationUnix: now + 100n }).build(root);
const good: SignedChain = { principalPk: root.verifyingKey(), principalScope: scope, certs: [cert] };
const base = { agentPk: agent.verifyingKey(), now };

async function failure(p: Promise<unknown>): Promise<A1Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(A1Error);
  return e as A1Error;
}

describe('non-object inputs are typed errors', () => {
  it.each([
    ['a null chain', null, { ...base, intent: scope }, /chain must be a SignedChain/],
    ['a string chain', 'chain', { ...base, intent: scope }, /chain must be a SignedChain/],
    ['a chain without certs', { principalPk: root.verifyingKey(), principalScope: scope }, { ...base, intent: scope }, /chain\.certs must be an array/],
    ['a chain with a null cert', { ...good, certs: [null] }, { ...base, intent: scope }, /chain\.certs\[0\] must be a cert object/],
    ['a chain with a short principal key', { ...good, principalPk: new Uint8Array(31) }, { ...base, intent: scope }, /chain\.principalPk must be 32 bytes/],
    ['null options', good, null, /options must be an object/],
    ['options without agentPk', good, {}, /agentPk must be 32 bytes/],
    ['a string agentPk', good, { agentPk: 'zz', intent: scope, now }, /agentPk must be 32 bytes/],
  ])('authorize with %s: WireFormatError', async (_label, chain, options, message) => {
    const e = await failure(authorize(chain as never, options as never));
    expect(e.code).toBe('WireFormatError');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['missing items', undefined, /items must be an array/],
    ['items not an array', 'x', /items must be an array/],
    ['items [null]', [null], /items\[0\] must be an object/],
    ['items [{}]', [{}], /items\[0\]\.intent must be 32 bytes/],
  ])('authorizeBatch with %s: WireFormatError', async (_label, items, message) => {
    const e = await failure(authorizeBatch(good, { ...base, items } as never));
    expect(e.code).toBe('WireFormatError');
    expect(e.message).toMatch(message);
  });

  it('authorizeBatch with a null chain or null options: WireFormatError', async () => {
    expect((await failure(authorizeBatch(null as never, { ...base, items: [] }))).code).toBe('WireFormatError');
    expect((await failure(authorizeBatch(good, null as never))).code).toBe('WireFormatError');
  });
});

describe('an empty batch', () => {
  it('of a bad chain reports why in errors', async () => {
    const badSig: SignedChain = { ...good, certs: [{ ...cert, signature: new Uint8Array(64) }] };
    const result = await authorizeBatch(badSig, { ...base, items: [] });
    expect(result.allAuthorized).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'InvalidSignature' });
    const expired = await authorizeBatch(good, { ...base, now: now + 100_000n, items: [] });
    expect(expired.errors[0]).toMatchObject({ code: 'Expired' });
  });

  it('with a nonce store: consumes nothing, but a consumed chain is not authorized (NonceReplay)', async () => {
    const nonces = new MemoryNonceStore();
    expect(await authorizeBatch(good, { ...base, items: [], nonces })).toEqual({ receipts: [], errors: [], allAuthorized: true });
    expect(nonces.isConsumed(cert.nonce)).toBe(false);
    await authorize(good, { ...base, intent: scope, nonces });
    const after = await authorizeBatch(good, { ...base, items: [], nonces });
    expect(after.allAuthorized).toBe(false);
    expect(after.errors.map((e) => e?.code)).toEqual(['NonceReplay']);
  });
});

describe('in-memory chains with a small-order terminal delegate', () => {
  const zero = new Uint8Array(32);
  // Built by hand (CertBuilder refuses such a delegate), as an older build or another tool could.
  const u: UnsignedCert = {
    version: 1,
    delegatorPk: root.verifyingKey(),
    delegatePk: zero,
    scopeRoot: scope,
    scopeProof: SubScopeProof.passthrough(),
    nonce: new Uint8Array(16).fill(9),
    issuedAt: now,
    expirationUnix: now + 100n,
    maxDepth: 16,
    extensions: new CertExtensions(),
  };
  const chain: SignedChain = { principalPk: root.verifyingKey(), principalScope: scope, certs: [{ ...u, signature: root.signMessage(signableBytes(u)) }] };

  it('authorize for the agent 00…00 is a WireFormatError naming a small-order key', async () => {
    const e = await failure(authorize(chain, { agentPk: zero, intent: scope, now }));
    expect(e.code).toBe('WireFormatError');
    expect(e.message).toMatch(/agentPk is a small-order Ed25519 public key/);
  });

  it('authorizeBatch likewise', async () => {
    const e = await failure(authorizeBatch(chain, { agentPk: zero, items: [{ intent: scope }], now }));
    expect(e.message).toMatch(/small-order/);
  });
});
