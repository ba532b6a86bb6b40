/**
 * What the user dropped or pasted: a passport file, a chain or a single cert, in either JSON form
 * (the reference's number arrays or the schema's hex). Each becomes a chain to picture and verify:
 * a passport is its self-signed hop, a lone cert is anchored at its own delegator. Detection
 * mirrors the CLI's `a1 inspect` (packages/cli/src/documents.ts); core does the real parsing.
 */
import { A1Error, loadPassport, merkleRootFromProof, parseCert, parseSignedChain, type JsonForm, type Passport, type SignedChain } from '@a1/core';

export type InspectedDocument =
  | { kind: 'passport'; form: 'reference'; passport: Passport; chain: SignedChain }
  | { kind: 'chain'; form: JsonForm; chain: SignedChain }
  | { kind: 'cert'; form: JsonForm; chain: SignedChain };

const formOf = (cert: unknown): JsonForm => (typeof (cert as { delegator_pk?: unknown } | null)?.delegator_pk === 'string' ? 'schema' : 'reference');

/** Parses `text` as whichever A1 document it is; WireFormatError (with the reason) when it is none. */
export function parseDocument(text: string): InspectedDocument {
  let shape: Record<string, unknown>;
  try {
    // Only to see the top-level keys; core's strict reader does the parsing.
    shape = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw A1Error.wire('this is not JSON');
  }
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) throw A1Error.wire('expected a JSON object');
  if ('_magic' in shape || 'a1_passport' in shape) {
    const passport = loadPassport(text);
    const chain: SignedChain = { principalPk: passport.holderPk, principalScope: passport.cert.scopeRoot, certs: [passport.cert] };
    return { kind: 'passport', form: 'reference', passport, chain };
  }
  if ('certs' in shape) {
    const first = Array.isArray(shape.certs) ? shape.certs[0] : undefined;
    return { kind: 'chain', form: formOf(first), chain: parseSignedChain(text) };
  }
  if ('delegator_pk' in shape) {
    const cert = parseCert(text);
    // A lone cert's parent scope is what its sub-scope proof was proved against.
    const proof = cert.scopeProof;
    const parentScope = proof.proofs[0] && proof.subsetIntents[0] ? merkleRootFromProof(proof.proofs[0], proof.subsetIntents[0]) : cert.scopeRoot;
    return { kind: 'cert', form: formOf(shape), chain: { principalPk: cert.delegatorPk, principalScope: parentScope, certs: [cert] } };
  }
  throw A1Error.wire('not a passport file, a chain (it has "certs") or a cert (it has "delegator_pk")');
}
