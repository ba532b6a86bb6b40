/**
 * Hostile and malformed input: every reader answers with an A1Error (WireFormatError or the
 * reference's verdict) quickly — never a hang, a crash, or another error type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  authorize,
  CertBuilder,
  createChain,
  intentHash,
  loadPassport,
  LocalSigner,
  parseCert,
  parseSignedChain,
  parseToken,
  serializeSignedChain,
  verifyMerkleProof,
  type DelegationCert,
} from '../src/index.js';
import { loadVector } from './helpers.js';

const chains = loadVector('chains');
const passport = loadVector('passport');
const validChainJson: string = chains.base_chains[2].signed_chain_to_json; // 3 hops
const validCertJson: string = loadVector('certs').cert_cases[3].reference_serde_json;

function wireError(fn: () => unknown): A1Error {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(A1Error);
    return err as A1Error;
  }
  throw new Error('expected an A1Error, but nothing was thrown');
}

const replaceFirst = (s: string, from: string, to: string) => {
  expect(s).toContain(from);
  return s.replace(from, to);
};

describe('hostile input', () => {
  it('a 10 MB JSON document is refused by size before parsing', () => {
    const big = `{"version":1,"principal_pk":"${'00'.repeat(32)}","principal_scope":"${'00'.repeat(32)}","certs":[${'1,'.repeat(5 * 1024 * 1024)}1]}`;
    expect(big.length).toBeGreaterThan(10_000_000);
    expect(wireError(() => parseSignedChain(big)).message).toMatch(/exceeds the limit/);
  });

  it('a 10,000-cert chain is refused: by the parser, and by authorize when built in memory', async () => {
    const cert = JSON.parse(validChainJson).certs[0];
    const doc = JSON.stringify({ ...JSON.parse(validChainJson), certs: Array(10_000).fill(cert) });
    expect(wireError(() => parseSignedChain(doc, { maxLength: 64 * 1024 * 1024 })).message).toMatch(/certs: at most 1024 items/);
    const one = parseCert(JSON.stringify(cert));
    const chain = { ...parseSignedChain(validChainJson), certs: Array<DelegationCert>(10_000).fill(one) };
    await expect(authorize(chain, { agentPk: one.delegatePk, intent: one.scopeRoot, now: 1_700_000_000 })).rejects.toMatchObject({ code: 'MaxDepthExceeded', limit: 255 });
  });

  it('a 100,000-sibling proof is refused without hashing it', () => {
    const siblings = Array.from({ length: 100_000 }, () => ({ hash: new Uint8Array(32), isLeft: false }));
    expect(verifyMerkleProof({ siblings }, new Uint8Array(32), new Uint8Array(32))).toBe(false);
    const doc = JSON.parse(validCertJson);
    doc.scope_proof.proofs[0].siblings = Array(100_000).fill(doc.scope_proof.proofs[0].siblings[0]);
    expect(wireError(() => parseCert(JSON.stringify(doc))).message).toMatch(/exceeds the limit/);
    expect(wireError(() => parseCert(JSON.stringify(doc), { maxLength: 64 * 1024 * 1024 })).message).toMatch(/siblings: at most 64 items/);
  });

  it('deeply nested JSON stops at the depth limit', () => {
    for (const deep of ['['.repeat(100_000), `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`]) {
      expect(wireError(() => parseSignedChain(deep)).message).toMatch(/nesting deeper than 128/);
    }
  });

  it.each([
    ['non-hex principal key', (s: string) => replaceFirst(s, '"principal_pk":"8a', '"principal_pk":"zz'), /principal_pk: Invalid character/],
    ['odd-length hex', (s: string) => replaceFirst(s, '"principal_pk":"8a', '"principal_pk":"8'), /principal_pk/],
    ['31-byte scope', (s: string) => replaceFirst(s, '"principal_scope":"1b', '"principal_scope":"'), /principal_scope must be 32 bytes/],
    ['15-byte nonce', (s: string) => replaceFirst(s, '"nonce":[161,', '"nonce":['), /certs\[0\]\.nonce: expected 16 bytes, found 15/],
    ['byte above 255', (s: string) => replaceFirst(s, '"nonce":[161,', '"nonce":[256,'), /certs\[0\]\.nonce\[0\]: 256 is out of range/],
    ['negative number', (s: string) => replaceFirst(s, '"issued_at":1700000000', '"issued_at":-1'), /certs\[0\]\.issued_at: expected an unsigned integer/],
    ['fractional number', (s: string) => replaceFirst(s, '"issued_at":1700000000', '"issued_at":1700000000.5'), /certs\[0\]\.issued_at: expected an unsigned integer/],
    ['exponent', (s: string) => replaceFirst(s, '"issued_at":1700000000', '"issued_at":17e8'), /expected an unsigned integer/],
    ['number above 2^64', (s: string) => replaceFirst(s, '"issued_at":1700000000', '"issued_at":18446744073709551616'), /out of range/],
    ['max_depth above 255', (s: string) => replaceFirst(s, '"max_depth":16', '"max_depth":256'), /max_depth: 256 is out of range/],
    ['duplicate key', (s: string) => replaceFirst(s, '"issued_at":1700000000', '"issued_at":1700000000,"issued_at":1'), /duplicate key "issued_at"/],
    ['string where bytes belong', (s: string) => replaceFirst(s, '"nonce":[', '"nonce":"a1a1",['), /./],
    ['missing field', (s: string) => replaceFirst(s, '"max_depth":16,', ''), /missing field `max_depth`/],
    ['lone surrogate', (s: string) => replaceFirst(s, '"principal_pk":"', '"principal_pk":"\\ud800'), /surrogate/],
    ['trailing garbage', (s: string) => `${s} x`, /trailing characters/],
    ['not a curve point', (s: string) => replaceFirst(s, '"delegate_pk":[129,57,119', '"delegate_pk":[2,0,0'), /not a valid Ed25519 public key/],
  ])('%s → WireFormatError naming the place', (_name, mutate, message) => {
    const err = wireError(() => parseSignedChain(mutate(validChainJson)));
    expect(err.code).toBe('WireFormatError');
    expect(err.message).toMatch(message);
  });

  it('values above 2^53 survive parse and write exactly', () => {
    const extreme = loadVector('certs').cert_cases.find((c: { name: string }) => c.name === 'extreme_times');
    const cert = parseCert(extreme.reference_serde_json);
    expect(cert.expirationUnix).toBe(18446744073709551615n);
    expect(serializeSignedChain({ ...createChain(cert.delegatorPk, cert.scopeRoot), certs: [cert] })).toContain('"expiration_unix":18446744073709551615');
  });

  it('tokens and passport files: malformed input is a WireFormatError', () => {
    for (const text of ['', '{', '{"receipt":{},"mac":"00"}', '[]', 'null']) expect(wireError(() => parseToken(text)).code).toBe('WireFormatError');
    const file = JSON.parse(passport.save_output);
    for (const bad of [{ ...file, _magic: 'x' }, { ...file, capability_mask_hex: '00'.repeat(32) }, { ...file, capabilities: ['trade.equity'] }]) {
      expect(wireError(() => loadPassport(JSON.stringify(bad))).code).toBe('WireFormatError');
    }
  });

  it('builder inputs: wrong lengths and ranges are WireFormatErrors', () => {
    const ok = { delegatePk: LocalSigner.fromSeed(new Uint8Array(32).fill(5)).verifyingKey(), scopeRoot: intentHash('x'), issuedAt: 1, expirationUnix: 2 };
    expect(() => new CertBuilder({ ...ok, delegatePk: new Uint8Array(31) })).toThrow(/delegatePk must be 32 bytes/);
    expect(() => new CertBuilder({ ...ok, issuedAt: -1 })).toThrow(/issuedAt must be an unsigned 64-bit integer/);
    expect(() => new CertBuilder({ ...ok, issuedAt: 1.5 })).toThrow(/issuedAt/);
    expect(() => new CertBuilder(ok).nonce(new Uint8Array(15))).toThrow(/nonce must be 16 bytes/);
    expect(() => new CertBuilder(ok).maxDepth(256)).toThrow(/max_depth/);
    expect(() => LocalSigner.fromSeed(new Uint8Array(31))).toThrow(/seed must be 32 bytes/);
  });
});

/** Random edits of valid documents: the readers throw nothing but A1Error. */
describe('mutation fuzzing of the JSON readers', () => {
  const runs = process.env.FULL_FUZZ ? 100_000 : 3_000;
  const seeds = [validChainJson, chains.base_chains[4].signed_chain_to_json_pretty, validCertJson];
  const alphabet = ['0', '9', '-', '.', 'e', '"', '\\', '[', ']', '{', '}', ',', ':', ' ', 'n', 't', 'f', '1', 'a', 'z', '\u0000', '\ud800', 'ÿ'];
  const mutation = fc.record({
    seed: fc.nat(seeds.length - 1),
    edits: fc.array(
      fc.record({ kind: fc.constantFrom('replace', 'delete', 'insert', 'duplicate', 'truncate'), at: fc.nat(), len: fc.nat(40), char: fc.constantFrom(...alphabet) }),
      { minLength: 1, maxLength: 4 },
    ),
  });
  const apply = (text: string, e: { kind: string; at: number; len: number; char: string }) => {
    const at = e.at % (text.length + 1);
    switch (e.kind) {
      case 'replace':
        return text.slice(0, at) + e.char + text.slice(at + 1);
      case 'delete':
        return text.slice(0, at) + text.slice(at + e.len);
      case 'insert':
        return text.slice(0, at) + e.char.repeat(1 + (e.len % 3)) + text.slice(at);
      case 'duplicate':
        return text.slice(0, at + e.len) + text.slice(at, at + e.len) + text.slice(at + e.len);
      default:
        return text.slice(0, at);
    }
  };

  it(`${runs} mutated inputs: only A1Error`, () => {
    fc.assert(
      fc.property(mutation, ({ seed, edits }) => {
        const text = edits.reduce(apply, seeds[seed]!);
        for (const read of [parseSignedChain, parseCert, parseToken, loadPassport]) {
          try {
            read(text);
          } catch (err) {
            if (!(err instanceof A1Error)) throw err;
          }
        }
      }),
      { numRuns: runs },
    );
  });
});
