import { describe, expect, it } from 'vitest';
import {
  A1Error,
  CertBuilder,
  CertExtensions,
  certFingerprint,
  extensionsCommitment,
  extValueFromJson,
  LocalSigner,
  parseCert,
  serializeCert,
  signableBytes,
  toHex,
  verifyCertSignature,
  type ExtValue,
} from '../src/index.js';
import { certFromView, extValueFromView, hex, loadVector, rejects, u64, type Json } from './helpers.js';

const certs = loadVector('certs');

const extensionsOf = (fields: Json) =>
  CertExtensions.from(new Map(Object.entries(fields).map(([k, v]) => [k, extValueFromView(v)] as [string, ExtValue])));

describe('certs.json: extensions', () => {
  for (const c of certs.extension_cases) {
    it(`commitment and serde JSON: ${c.name}`, () => {
      const ext = extensionsOf(c.fields);
      expect(toHex(ext.commitment())).toBe(c.commitment);
      expect(toHex(extensionsCommitment(new Map(Object.entries(c.fields).map(([k, v]) => [k, extValueFromView(v)]))))).toBe(c.commitment);
      // The serde JSON of a cert's `extensions` member, read back through a full cert.
      const view = { ...certs.cert_cases[0].cert, extensions: c.fields };
      const json = serializeCert(certFromView(view));
      expect(json).toContain(`"extensions":${c.reference_serde_json}`);
    });
  }
  for (const c of certs.ext_value_from_json_conversions) {
    it(`From<Value>: ${c.json_input}`, () => {
      expect(extValueFromJson(c.json_input)).toEqual(extValueFromView(c.ext_value));
    });
  }
  it('size limits', () => {
    const byName = Object.fromEntries(certs.extension_limit_cases.map((c: Json) => [c.name, c]));
    rejects(() => new CertExtensions().set('', 'v'), byName.empty_key.error);
    new CertExtensions().set('k', 'x'.repeat(16383));
    rejects(() => new CertExtensions().set('k', 'x'.repeat(16384)), byName.key1_plus_str16384_exceeds.error);
    const u = new CertExtensions().set('k', 'x'.repeat(16384 - 1 - 9)).set('q', 7n); // 9 + 1 + 8 bytes
    expect(u.size).toBe(2);
    const again = new CertExtensions().set('k', 'x'.repeat(8000)).set('k', 'y'.repeat(8000));
    rejects(() => again.set('k', 'z'.repeat(8000)), byName.replacing_same_key_still_accumulates_bytes.error);
  });
});

describe('certs.json: certificates', () => {
  for (const c of certs.cert_cases) {
    it(`${c.name}: built, hashed, signed and written exactly as the reference`, () => {
      const v = c.cert;
      const builder = new CertBuilder({
        delegatePk: hex(v.delegate_pk),
        scopeRoot: hex(v.scope_root),
        issuedAt: u64(v.issued_at),
        expirationUnix: u64(v.expiration_unix),
      })
        .maxDepth(v.max_depth)
        .nonce(hex(v.nonce))
        .scopeProof(certFromView(v).scopeProof)
        .extensions(extensionsOf(v.extensions));
      const cert = builder.build(LocalSigner.fromSeed(hex(c.signer_seed)));
      expect(toHex(cert.delegatorPk)).toBe(v.delegator_pk);
      expect(toHex(cert.scopeProof.commitment())).toBe(v.derived.scope_proof_commitment);
      expect(toHex(cert.extensions.commitment())).toBe(v.derived.extensions_commitment);
      expect(toHex(signableBytes(cert))).toBe(v.derived.signable_bytes);
      expect(toHex(cert.signature)).toBe(v.signature);
      expect(toHex(certFingerprint(cert))).toBe(v.derived.fingerprint);
      expect(verifyCertSignature(cert)).toBe(v.derived.verify_signature);
      expect(serializeCert(cert)).toBe(c.reference_serde_json);
      // And back: the reference's JSON parses to the same cert and writes identically.
      const parsed = parseCert(c.reference_serde_json);
      expect(serializeCert(parsed)).toBe(c.reference_serde_json);
      expect(toHex(signableBytes(parsed))).toBe(v.derived.signable_bytes);
      // The schema (hex) form round-trips to the same cert.
      expect(serializeCert(parseCert(serializeCert(parsed, { format: 'schema' })))).toBe(c.reference_serde_json);
    });
  }
  for (const c of certs.builder_errors) {
    it(`builder refuses issued_at ${c.issued_at} >= expiration ${c.expiration_unix}`, () => {
      const base = certs.cert_cases[0].cert;
      const builder = new CertBuilder({ delegatePk: hex(base.delegate_pk), scopeRoot: hex(base.scope_root), issuedAt: c.issued_at, expirationUnix: c.expiration_unix });
      rejects(() => builder.build(LocalSigner.fromSeed(hex(certs.cert_cases[0].signer_seed))), c.error);
    });
  }
  for (const c of certs.deserialization_cases) {
    it(`deserialize: ${c.name}`, () => {
      if (!c.ok) {
        expect(() => parseCert(c.json)).toThrow(A1Error);
        try {
          parseCert(c.json);
        } catch (err) {
          expect((err as A1Error).code).toBe('WireFormatError');
        }
        return;
      }
      const cert = parseCert(c.json);
      const want = c.parsed;
      expect(toHex(cert.delegatorPk)).toBe(want.delegator_pk);
      expect(toHex(cert.signature)).toBe(want.signature);
      expect(toHex(cert.extensions.commitment())).toBe(want.derived.extensions_commitment);
      expect(toHex(signableBytes(cert))).toBe(want.derived.signable_bytes);
      expect(verifyCertSignature(cert)).toBe(want.derived.verify_signature);
    });
  }
});
