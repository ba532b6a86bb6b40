/**
 * The verdict for an intent against a pinned root key, computed by @a1/core's `authorize` in the
 * page (WebCrypto backend where the browser has Ed25519): the chain must start at the pinned key,
 * end at the holder shown, and carry the intent in the holder's scope at the check time.
 */
import { A1Error, authorize, equalBytes, fromHex, intentHash, IntentTree, toHex, type VerificationReceipt } from '@a1/core';
import type { InspectedDocument } from './document.js';
import type { TypedIntent } from './intent-text.js';

export type Verdict = { ok: true; receipt: VerificationReceipt } | { ok: false; error: unknown };

/** The leaves of the scope in force at the end of the chain: the last hop that lists them, else the principal's. */
function terminalLeaves(doc: InspectedDocument, principalLeaves: Uint8Array[] | undefined): Uint8Array[] | undefined {
  for (let i = doc.chain.certs.length - 1; i >= 0; i--) {
    // No listed intents keeps the delegator's scope (as core derives it), proofs or not.
    const intents = doc.chain.certs[i]!.scopeProof.subsetIntents;
    if (intents.length > 0) return intents.map((l) => Uint8Array.from(l));
  }
  return principalLeaves;
}

/** `principalLeaves`: the principal scope's leaves when the page knows them (a passport's, or named ones). */
export async function verdictFor(doc: InspectedDocument, rootHex: string, intent: TypedIntent, now: bigint, principalLeaves?: Uint8Array[]): Promise<Verdict> {
  try {
    const root = fromHex(rootHex.trim(), 'root key');
    const { chain } = doc;
    if (!equalBytes(root, chain.principalPk)) {
      throw new A1Error('RootMismatch', { reason: `it starts at ${toHex(chain.principalPk).slice(0, 16)}…` });
    }
    if (doc.kind === 'passport' && !doc.passport.mask.has(intent.action)) throw new A1Error('PassportNarrowingViolation');
    const hash = intentHash(intent.action, intent.params);
    const leaves = terminalLeaves(doc, principalLeaves);
    // A proof when the holder's scope lists the intent; otherwise core decides (ScopeViolation, or
    // an earlier failure such as a bad signature, in the reference's order of checks).
    const proof = leaves?.some((l) => equalBytes(l, hash)) ? IntentTree.build(leaves).prove(hash) : undefined;
    const holder = chain.certs.at(-1)?.delegatePk ?? chain.principalPk;
    const receipt = await authorize(chain, { agentPk: holder, intent: hash, ...(proof ? { proof } : {}), now });
    return { ok: true, receipt };
  } catch (error) {
    return { ok: false, error };
  }
}
