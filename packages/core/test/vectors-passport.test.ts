import { describe, expect, it } from 'vitest';
import {
  certFingerprint,
  chainFingerprint,
  issuePassport,
  loadPassport,
  LocalSigner,
  NarrowingMatrix,
  passportToJson,
  savePassport,
  serializeCert,
  serializeProvableReceipt,
  toHex,
  type DelegationCert,
  type Passport,
} from '../src/index.js';
import { writeJson } from '../src/json-text.js';
import { chainFromView, expectA1Error, hex, loadVector, proofFromView, rejects, type Json } from './helpers.js';

const v = loadVector('passport');
const holder = LocalSigner.fromSeed(hex(v.holder.seed));
const issue = (): Passport =>
  issuePassport({
    namespace: v.issue_inputs.namespace,
    capabilities: v.issue_inputs.capabilities,
    ttlSeconds: v.issue_inputs.ttl_secs,
    signer: holder,
    now: v.issue_inputs.clock_unix,
    nonce: hex(v.issue_inputs.nonce_fixed),
  });

describe('passport.json', () => {
  it('issue: mask, commitment, scope root, root cert, save() text and serde JSON', () => {
    const p = issue();
    expect(p.mask.toHex()).toBe(v.capability_mask);
    expect(toHex(p.mask.commitment())).toBe(v.capability_mask_commitment);
    expect(toHex(p.scopeRoot())).toBe(v.scope_root);
    expect(toHex(p.cert.signature)).toBe(v.root_cert.signature);
    expect(toHex(certFingerprint(p.cert))).toBe(v.root_cert.derived.fingerprint);
    expect(savePassport(p)).toBe(v.save_output);
    expect(writeJson(passportToJson(p))).toBe(v.dyolo_passport_serde_json);
  });

  it('load(save()) gives back the same passport', () => {
    const loaded = loadPassport(v.save_output);
    expect(savePassport(loaded)).toBe(v.save_output);
    expect(loaded.namespace).toBe(v.namespace);
    expect(loaded.capabilities).toEqual(v.capabilities);
  });

  it('new_chain', () => {
    const chain = issue().newChain();
    expect(toHex(chain.principalPk)).toBe(v.new_chain.principal_pk);
    expect(toHex(chain.principalScope)).toBe(v.new_chain.principal_scope);
    expect(chain.namespace).toBe(v.new_chain.namespace);
    expect(toHex(chainFingerprint(chain))).toBe(v.new_chain.fingerprint_with_no_certs);
  });

  for (const c of v.issue_sub_cases) {
    it(`issue_sub: ${c.name}`, () => {
      const sub = issue().issueSub({
        delegatePk: hex(c.inputs.delegate_pk),
        capabilities: c.inputs.capabilities,
        ttlSeconds: c.inputs.ttl_secs,
        signer: holder,
        now: c.inputs.clock_unix,
        nonce: hex(c.inputs.nonce_fixed),
      });
      expect(toHex(sub.signature)).toBe(c.cert.signature);
      expect(toHex(certFingerprint(sub))).toBe(c.cert.derived.fingerprint);
      expect(serializeCert(sub)).toBe(c.reference_serde_json);
      expect(NarrowingMatrix.fromCapabilities(c.inputs.capabilities).toHex()).toBe(c.requested_mask);
    });
  }

  for (const c of v.issue_sub_errors) {
    it(`issue_sub refuses: ${c.name}`, () => {
      rejects(
        () => issue().issueSub({ delegatePk: hex(v.sub_agent.public_key), capabilities: c.capabilities, ttlSeconds: 60, signer: holder, now: v.issue_inputs.clock_unix }),
        c.error,
      );
    });
  }

  const receiptView = (r: Json) => ({
    chain_depth: r.inner.chainDepth,
    verified_scope_root: toHex(r.inner.verifiedScopeRoot),
    intent: toHex(r.inner.intent),
    verified_at_unix: Number(r.inner.verifiedAtUnix),
    chain_fingerprint: toHex(r.inner.chainFingerprint),
    namespace: r.inner.namespace ?? null,
  });

  for (const c of v.guard_cases_fixed_clock) {
    it(`guard: ${c.name}`, async () => {
      const passport = issue();
      const chain = chainFromView(c.chain);
      expect(toHex(chainFingerprint(chain))).toBe(c.chain_fingerprint);
      const run = () =>
        passport.guard(chain, {
          agentPk: hex(c.inputs.agent_pk),
          intent: { action: c.inputs.intent_action, params: c.inputs.intent_params },
          proof: proofFromView(c.inputs.proof),
          now: c.inputs.clock_unix,
          driftToleranceSecs: c.inputs.drift_tolerance_secs,
        });
      if (!c.outcome.ok) {
        let threw = false;
        await run().catch((err: unknown) => {
          threw = true;
          expectA1Error(err, c.outcome.error);
        });
        expect(threw).toBe(true);
        return;
      }
      const receipt = await run();
      const want = c.outcome.provable_receipt;
      expect(receiptView(receipt)).toEqual(want.inner);
      expect(receipt.passportNamespace).toBe(want.passport_namespace);
      expect(toHex(receipt.narrowingCommitment)).toBe(want.narrowing_commitment);
      expect(receipt.capabilityMaskHex).toBe(want.capability_mask_hex);
      expect(toHex(NarrowingMatrix.fromHex(receipt.capabilityMaskHex).commitment()) === want.narrowing_commitment).toBe(want.verify_commitment);
      expect(serializeProvableReceipt(receipt)).toBe(want.reference_serde_json);
    });
  }

  // guard_local uses the wall clock: the sub-certs are the issue_sub vectors, the clock is now.
  const subs: DelegationCert[] = v.issue_sub_cases.map((c: Json) =>
    issue().issueSub({ delegatePk: hex(c.inputs.delegate_pk), capabilities: c.inputs.capabilities, ttlSeconds: c.inputs.ttl_secs, signer: holder, now: c.inputs.clock_unix, nonce: hex(c.inputs.nonce_fixed) }),
  );
  for (const c of v.guard_local_cases.cases) {
    it(`guard with the system clock: ${c.name}`, async () => {
      const passport = issue();
      const sub = subs.find((s) => toHex(certFingerprint(s)) === c.sub_cert_fingerprint)!;
      expect(sub).toBeDefined();
      const chain = passport.newChain();
      chain.certs.push(sub);
      expect(toHex(chainFingerprint(chain))).toBe(c.chain_fingerprint);
      const run = () => passport.guard(chain, { agentPk: hex(c.inputs.agent_pk), intent: { action: c.inputs.intent_action } });
      if (c.outcome.ok) {
        const r = await run();
        expect(toHex(r.inner.intent)).toBe(c.inputs.intent_hash);
        expect(r.inner.verifiedAtUnix).toBeGreaterThanOrEqual(BigInt(v.guard_local_cases.wall_clock_before));
      } else {
        let threw = false;
        await run().catch((err: unknown) => {
          threw = true;
          expectA1Error(err, { ...c.outcome.error, display: (err as Error).message });
        });
        expect(threw).toBe(true);
      }
    });
  }
});
