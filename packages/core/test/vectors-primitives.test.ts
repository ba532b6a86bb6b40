import { describe, expect, it } from 'vitest';
import {
  CapabilityRegistry,
  capabilityBit,
  enforceNarrowing,
  Intent,
  IntentTree,
  legacyIntentHash,
  merkleNode,
  NarrowingMatrix,
  SubScopeProof,
  verifyEd25519Async,
  toHex,
  verifyMerkleProof,
} from '../src/index.js';
import { allBackends, hex, loadVector, proofFromView, rejects, type Json } from './helpers.js';

const keys = loadVector('keys');
const intents = loadVector('intents');
const narrowing = loadVector('narrowing');
const merkle = loadVector('merkle');

describe('keys.json: Ed25519 on every backend', () => {
  const backends = allBackends();
  it('has all four backends on Node', () => expect(backends.map((b) => b.name)).toEqual(['@noble/curves', 'node:crypto', 'webcrypto', 'libsodium']));
  for (const backend of backends) {
    for (const key of keys.keys) {
      it(`${backend.name}: seed ${key.seed.slice(0, 4)} public key and ${key.signatures.length} signatures`, async () => {
        expect(toHex(backend.publicKeyOf(hex(key.seed)))).toBe(key.public_key);
        for (const sig of key.signatures) {
          expect(toHex(backend.sign(hex(key.seed), hex(sig.message)))).toBe(sig.signature);
          expect(backend.verify(hex(key.public_key), hex(sig.message), hex(sig.signature))).toBe(true);
          expect(await verifyEd25519Async(hex(key.public_key), hex(sig.message), hex(sig.signature), backend)).toBe(true);
          const bad = hex(sig.signature);
          bad[0]! ^= 1;
          expect(backend.verify(hex(key.public_key), hex(sig.message), bad)).toBe(false);
          expect(await verifyEd25519Async(hex(key.public_key), hex(sig.message), bad, backend)).toBe(false);
        }
      });
    }
  }
});

describe('intents.json', () => {
  for (const c of intents.intent_hash_cases) {
    it(c.name, () => {
      const build = () => {
        const intent = new Intent(c.input.action);
        for (const call of c.input.try_param_calls_in_order) intent.param(call.key, call.value);
        return intent;
      };
      if (!c.ok) return rejects(build, c.error);
      const intent = build();
      expect(toHex(intent.hash())).toBe(c.hash);
      expect(intent.toString()).toBe(c.display);
      expect(intent.sortedParams()).toEqual(c.normalized_params_sorted.map((p: Json) => [p.key, p.value]));
    });
  }
  for (const c of intents.deprecated_intent_hash_cases) {
    it(`deprecated intent_hash ${c.action}`, () => {
      expect(toHex(legacyIntentHash(c.action, hex(c.params_hex)))).toBe(c.hash);
    });
  }
});

describe('narrowing.json', () => {
  it('bit positions', () => {
    for (const c of narrowing.capability_bit_positions) {
      expect(capabilityBit(c.name)).toEqual({ byteIndex: c.byte_index, bitIndex: c.bit_index, position: c.bit_position });
    }
  });
  it('capability sets: mask, commitment, count', () => {
    for (const c of narrowing.capability_sets) {
      const m = NarrowingMatrix.fromCapabilities(c.capabilities);
      expect(m.toHex()).toBe(c.mask);
      expect(toHex(m.commitment())).toBe(c.commitment);
      expect(m.capacityCount()).toBe(c.capacity_count);
      expect(m.isEmpty()).toBe(c.is_empty);
    }
  });
  it('EMPTY and FULL', () => {
    expect(NarrowingMatrix.empty().toHex()).toBe(narrowing.constants.EMPTY.mask);
    expect(toHex(NarrowingMatrix.empty().commitment())).toBe(narrowing.constants.EMPTY.commitment);
    expect(NarrowingMatrix.full().toHex()).toBe(narrowing.constants.FULL.mask);
    expect(toHex(NarrowingMatrix.full().commitment())).toBe(narrowing.constants.FULL.commitment);
  });
  it('CSV', () => {
    const c = narrowing.from_csv;
    expect(NarrowingMatrix.fromCsv(c.input).toHex()).toBe(c.mask);
    expect(NarrowingMatrix.fromCapabilities(c.equals_mask_of).toHex() === c.mask).toBe(c.equal);
  });
  for (const c of narrowing.subset_cases) {
    it(`subset ${c.child_name} ⊆ ${c.parent_name}`, () => {
      // EMPTY and FULL come as masks only.
      const child = c.child_caps ? NarrowingMatrix.fromCapabilities(c.child_caps) : NarrowingMatrix.fromHex(c.child_mask);
      const parent = c.parent_caps ? NarrowingMatrix.fromCapabilities(c.parent_caps) : NarrowingMatrix.fromHex(c.parent_mask);
      expect(child.toHex()).toBe(c.child_mask);
      expect(parent.toHex()).toBe(c.parent_mask);
      expect(child.isSubsetOf(parent)).toBe(c.is_subset_of);
      if (!c.enforce_narrowing) {
        // The EMPTY/FULL pairs carry no enforce result: enforcement must agree with the subset rule.
        if (c.is_subset_of) enforceNarrowing(child, parent);
        else expect(() => enforceNarrowing(child, parent)).toThrow(/narrowing violation/);
      } else if (c.enforce_narrowing.ok) enforceNarrowing(child, parent);
      else rejects(() => enforceNarrowing(child, parent), c.enforce_narrowing.error);
      expect(child.intersect(parent).toHex()).toBe(c.intersect_mask);
    });
  }
  it('a real collision', () => {
    const c = narrowing.hash_collision_example;
    const a = NarrowingMatrix.fromCapabilities([c.a]);
    const b = NarrowingMatrix.fromCapabilities([c.b]);
    expect([a.toHex(), b.toHex()]).toEqual([c.mask_a, c.mask_b]);
    expect(a.isSubsetOf(b)).toBe(c.a_is_subset_of_b);
  });
  for (const c of narrowing.from_hex_cases) {
    it(`fromHex ${c.input.slice(0, 12)}…(${c.input.length})`, () => {
      if (c.ok) expect(NarrowingMatrix.fromHex(c.input).toHex()).toBe(c.mask);
      else rejects(() => NarrowingMatrix.fromHex(c.input), c.error);
    });
  }
  it('CapabilityRegistry', () => {
    const r = narrowing.capability_registry;
    const reg = new CapabilityRegistry();
    for (const call of r.register_calls_in_order) expect(reg.register(call.register)).toBe(call.slot);
    expect(reg.size).toBe(r.len);
    expect(reg.namesInOrder()).toEqual(r.names_in_order);
    for (const c of r.build_mask_cases) {
      if (c.ok) {
        const m = reg.buildMask(c.capabilities);
        expect(m.toHex()).toBe(c.mask);
        expect(toHex(m.commitment())).toBe(c.commitment);
      } else rejects(() => reg.buildMask(c.capabilities), c.error);
    }
    expect(reg.buildFullMask().toHex()).toBe(r.build_full_mask);
    for (const c of r.register_calls_in_order) expect(reg.slotOf(c.register)).toBe(c.slot);
  });
  it('a full 256-slot registry and the 257th registration', () => {
    const r = narrowing.capability_registry.registry_256;
    const reg = new CapabilityRegistry();
    for (let i = 0; i < 256; i++) reg.register(`cap.${i}`);
    for (const s of r.slot_samples) {
      expect(reg.slotOf(s.name)).toBe(s.slot);
      expect(reg.buildMask([s.name]).toHex()).toBe(s.mask);
    }
    expect(reg.buildFullMask().toHex()).toBe(r.full_mask);
    rejects(() => reg.register('cap.256'), r.register_257th.error);
  });
});

describe('merkle.json', () => {
  const leafHash = new Map<string, Uint8Array>(merkle.leaves.map((l: Json) => [l.name, hex(l.hash)]));
  it('leaves are intent hashes', () => {
    for (const l of merkle.leaves) expect(toHex(new Intent(l.name).hash())).toBe(l.hash);
  });
  it('node hashes', () => {
    for (const c of merkle.merkle_node_cases) expect(toHex(merkleNode(hex(c.left), hex(c.right)))).toBe(c.node);
  });
  for (const t of merkle.trees) {
    it(`tree of ${t.leaf_count}: layers, root and every proof`, () => {
      const tree = IntentTree.build(t.input_leaves_in_insertion_order.map(hex));
      expect(tree.leaves().map(toHex)).toEqual(t.sorted_leaves);
      expect(tree.levels().map((l) => l.map(toHex))).toEqual(t.layers);
      expect(toHex(tree.root())).toBe(t.root);
      expect(tree.leafCount()).toBe(t.leaf_count_reported);
      for (const p of t.inclusion_proofs) {
        const proof = tree.prove(hex(p.leaf));
        expect(proof.siblings.map((s) => ({ hash: toHex(s.hash), is_left: s.isLeft }))).toEqual(p.proof.siblings);
        expect(verifyMerkleProof(proof, hex(p.leaf), tree.root())).toBe(p.verify);
      }
    });
  }
  it('dedup', () => {
    const names = [...Array(8).keys()].map((i) => `leaf.${i}`).concat(['leaf.0', 'leaf.1', 'leaf.2']);
    const tree = IntentTree.build(names.map((n) => leafHash.get(n)!));
    expect(toHex(tree.root())).toBe(merkle.dedup.root);
    expect(tree.leafCount()).toBe(merkle.dedup.leaf_count);
  });
  it('errors', () => {
    rejects(() => IntentTree.build([]), merkle.errors.build_empty);
    const tree = IntentTree.build([...leafHash.values()]);
    rejects(() => tree.prove(hex(merkle.errors.prove_missing_leaf.leaf)), merkle.errors.prove_missing_leaf.error);
    rejects(() => SubScopeProof.build(tree, [hex(merkle.errors.prove_missing_leaf.leaf)]), merkle.errors.subscope_build_with_missing_leaf);
  });
  for (const c of merkle.proof_verify_cases) {
    it(`proof verify: ${c.name}`, () => {
      expect(verifyMerkleProof(proofFromView(c.proof), hex(c.leaf), hex(c.root))).toBe(c.verify);
    });
  }
  for (const c of merkle.subscope_cases) {
    it(`sub-scope: ${c.name}`, () => {
      const proof = new SubScopeProof(c.scope_proof.subset_intents.map(hex), c.scope_proof.proofs.map(proofFromView));
      expect(toHex(proof.commitment())).toBe(c.commitment);
      const r = c.verify_and_derive_root;
      if (r.ok) expect(toHex(proof.deriveRoot(hex(c.parent_root)))).toBe(r.root);
      else rejects(() => proof.deriveRoot(hex(c.parent_root)), r.error);
    });
  }
  it('SubScopeProof.build reproduces the vector proofs', () => {
    const tree = IntentTree.build([...leafHash.values()]);
    for (const c of merkle.subscope_cases) {
      if (c.name.includes('tamper') || c.name.includes('mismatch') || c.name.includes('wrong') || c.scope_proof.subset_intents.length === 0) continue;
      const subset = c.scope_proof.subset_intents.map(hex);
      if (!subset.every((s: Uint8Array) => tree.contains(s))) continue;
      const built = SubScopeProof.build(tree, subset);
      if (built.proofs.length !== c.scope_proof.proofs.length) continue;
      expect(toHex(built.commitment())).toBe(c.commitment);
    }
  });
});
