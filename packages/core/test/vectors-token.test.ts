import { describe, expect, it } from 'vitest';
import { parseToken, receiptCanonicalBytes, serializeReceipt, serializeToken, signToken, toHex, verifyToken, type VerificationReceipt } from '../src/index.js';
import { hex, loadVector, rejects, type Json } from './helpers.js';

const v = loadVector('verified_token');

const receiptOf = (r: Json): VerificationReceipt => ({
  chainDepth: r.chain_depth,
  verifiedScopeRoot: hex(r.verified_scope_root),
  intent: hex(r.intent),
  verifiedAtUnix: BigInt(r.verified_at_unix),
  chainFingerprint: hex(r.chain_fingerprint),
  namespace: r.namespace ?? undefined,
});

describe('verified_token.json', () => {
  for (const c of v.cases) {
    it(`${c.name}: canonical bytes, serde JSON, MACs under both keys`, () => {
      const receipt = receiptOf(c.receipt);
      expect(toHex(receiptCanonicalBytes(receipt))).toBe(c.canonical_bytes);
      expect(serializeReceipt(receipt)).toBe(c.receipt_serde_json);
      for (const t of c.tokens) {
        const token = signToken(receipt, hex(t.key));
        expect(token.mac).toBe(t.mac);
        expect(serializeToken(token)).toBe(t.token_serde_json);
        expect(t.verify.ok).toBe(true);
        expect(verifyToken(parseToken(t.token_serde_json), hex(t.key))).toEqual(receipt);
      }
    });
  }
  for (const c of v.verify_negative_cases.cases) {
    it(`verify: ${c.name}`, () => {
      const base = receiptOf(v.verify_negative_cases.receipt);
      const receipt = c.receipt ? receiptOf(c.receipt) : c.name === 'tampered_verified_at' ? { ...base, verifiedAtUnix: base.verifiedAtUnix + 1n } : c.name === 'tampered_namespace' ? { ...base, namespace: 'evil' } : base;
      const token = { receipt, mac: c.mac };
      if (c.verify.ok) expect(verifyToken(token, hex(c.key))).toEqual(receipt);
      else rejects(() => verifyToken(token, hex(c.key)), c.verify.error);
    });
  }
});
