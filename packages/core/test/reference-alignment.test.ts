/** Differences from the reference found by the differential test, now aligned (issue 12 §7). */
import { describe, expect, it } from 'vitest';
import {
  authorize,
  intentHash,
  issuePassport,
  LocalSigner,
  nobleBackend,
  nodeBackend,
  ed25519Backend,
  parseCert,
  parseSignedChain,
  serializeCert,
  serializeSignedChain,
  toHex,
  type Ed25519Backend,
} from '../src/index.js';
import { ED25519_CRAFTED } from './fixtures/ed25519-crafted.js';

const now = 1_700_000_000n;
const U64_MAX = (1n << 64n) - 1n;
const holder = LocalSigner.fromSeed(new Uint8Array(32).fill(31));
const agent = LocalSigner.fromSeed(new Uint8Array(32).fill(32));
const passport = issuePassport({ namespace: 'align', capabilities: ['trade.equity'], ttlSeconds: 3_600, signer: holder, now });
const hop = passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: holder, now });
const chain = { ...passport.newChain(), certs: [hop] };

describe('principal_pk is checked at parse time, like the reference', () => {
  const notAPoint = ED25519_CRAFTED.find((c) => c.name.startsWith('A not a curve point'))!.publicKey;

  it('a principal_pk that is not a curve point → WireFormatError("invalid principal_pk: …")', () => {
    const json = serializeSignedChain(chain).replace(toHex(holder.verifyingKey()), notAPoint);
    expect(() => parseSignedChain(json)).toThrow(/^wire format error: invalid principal_pk: not a valid Ed25519 public key$/);
  });

  it('so does an empty chain with such a principal (it used to parse, then say EmptyChain)', () => {
    const json = serializeSignedChain({ ...chain, certs: [], principalPk: Uint8Array.from(Buffer.from(notAPoint, 'hex')) });
    expect(() => parseSignedChain(json)).toThrow(/invalid principal_pk/);
  });
});

describe('passport TTL overflow saturates at 2^64 − 1', () => {
  it('issuePassport and issueSub', () => {
    const forever = issuePassport({ namespace: 'n', capabilities: ['a'], ttlSeconds: U64_MAX, signer: holder, now });
    expect(forever.cert.expirationUnix).toBe(U64_MAX);
    const sub = forever.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['a'], ttlSeconds: U64_MAX - 1n, signer: holder, now });
    expect(sub.expirationUnix).toBe(U64_MAX);
  });

  it('a TTL that is not a u64 is still refused', () => {
    expect(() => issuePassport({ namespace: 'n', capabilities: ['a'], ttlSeconds: U64_MAX + 1n, signer: holder, now })).toThrow(/ttlSeconds/);
  });
});

describe('the Ed25519 backend can be picked per call', () => {
  it('authorize uses the backend given in its options, not the process-wide one', async () => {
    const calls: string[] = [];
    const counting: Ed25519Backend = { ...nobleBackend, verify: (pk, m, s) => (calls.push(toHex(pk)), nobleBackend.verify(pk, m, s)) };
    await authorize(chain, { agentPk: agent.verifyingKey(), intent: intentHash('trade.equity'), now, ed25519Backend: counting });
    expect(calls).toEqual([toHex(holder.verifyingKey())]);
    expect(ed25519Backend()).toBe(nodeBackend);
  });
});

describe('extension values in JSON are untagged, as the reference reads them', () => {
  it('{"U64":5} is refused by the reader', () => {
    const json = serializeCert(hop).replace('"fields":{', '"fields":{"x.tagged":{"U64":5},');
    expect(() => parseCert(json)).toThrow(/data did not match any variant of untagged enum ExtValue/);
  });
});
