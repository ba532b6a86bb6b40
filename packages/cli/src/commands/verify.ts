/**
 * `a1 verify`: offline verification of a chain for an agent and an intent, against a trust
 * anchor the verifier holds (pinned root keys or a passport). Imports nothing but @a1/core —
 * no provider package, no SDK, no network. With a passport it verifies through `Passport.guard`,
 * the same code path services use.
 */
import { A1Error, authorize, chainFingerprint, DEFAULT_DRIFT_TOLERANCE_SECS, intentHash, IntentTree, toHex, type MerkleProof, type SignedChain, type VerificationReceipt } from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { readChainFile, readPassportFile } from '../documents.js';
import { describeSeconds } from '../duration.js';
import { EXIT } from '../exit-codes.js';
import { explainA1Error } from '../explain.js';
import { hopLeaves } from '../hop-scope.js';
import { optionalString, parseNonNegativeInteger, parseParams, parsePublicKey, parseUnixTime, requireString } from '../inputs.js';
import { readRevocationFile } from '../revocation-file.js';
import { isoTime, unixNow } from '../time-text.js';
import { checkPinned, NO_ANCHOR_HINT, trustAnchorFrom, type TrustAnchor } from '../trust-anchor.js';

/** Validity that held only because of the clock-skew tolerance, said plainly. */
function skewNotes(chain: SignedChain, now: bigint, drift: number): string[] {
  const notes: string[] = [];
  const change = `the tolerance is ${drift} s (--drift SECONDS changes it; --drift 0 refuses these)`;
  chain.certs.forEach((cert, i) => {
    if (cert.expirationUnix < now) notes.push(`hop ${i} expired ${describeSeconds(Number(now - cert.expirationUnix))} before the verification time; accepted within the clock-skew tolerance: ${change}`);
    if (cert.issuedAt > now) notes.push(`hop ${i} starts ${describeSeconds(Number(cert.issuedAt - now))} after the verification time; accepted within the clock-skew tolerance: ${change}`);
  });
  return notes;
}

/** Said whenever the anchor is a key, not a passport: every tenant under that key passes. */
const NO_NAMESPACE_CHECK =
  'no tenant (namespace) binding was checked — a chain issued under any passport of this root key passes; a verifier serving several tenants should pass --passport';

function anchorText(anchor: TrustAnchor): string {
  if (anchor.kind === 'none') return 'NONE (--insecure-no-root): the chain was checked against its own principal key';
  return anchor.kind === 'passport' ? `the passport holder (${anchor.source}, namespace ${anchor.passport.namespace})` : `a pinned root (${anchor.source})`;
}

export const runVerify: CommandRun = async (ctx, values) => {
  const chainPath = ctx.path(requireString(values, 'chain', 'the chain file'));
  const agentPk = parsePublicKey(requireString(values, 'agent', "the presenting agent's public key"), '--agent');
  const action = requireString(values, 'intent', 'e.g. --intent trade.equity');
  const params = parseParams(values);
  const atText = optionalString(values, 'at');
  const now = atText === undefined ? unixNow() : parseUnixTime(atText, '--at');
  const driftText = optionalString(values, 'drift');
  const drift = driftText === undefined ? DEFAULT_DRIFT_TOLERANCE_SECS : parseNonNegativeInteger(driftText, '--drift', 86_400 * 365);
  const revokedPath = optionalString(values, 'revoked');
  const passportPath = optionalString(values, 'passport');

  const passport = passportPath ? await readPassportFile(ctx.path(passportPath)) : undefined;
  const anchor = await trustAnchorFrom(values, ctx.path, passport);
  const chain = await readChainFile(chainPath, passport?.namespace);
  const revocations = revokedPath ? await readRevocationFile(ctx.path(revokedPath)) : undefined;
  const principal = toHex(chain.principalPk);
  if (anchor.kind === 'none') {
    ctx.stderr.write(
      `WARNING: no trust anchor (--insecure-no-root). The chain was checked against the principal key it carries,\n` +
        `WARNING: ${principal}, which anyone can mint: "authorized" below proves nothing about who delegated it.\n` +
        `WARNING: ${NO_ANCHOR_HINT.split(';')[0]}.\n`,
    );
  }

  try {
    checkPinned(anchor, chain.principalPk);
    // The terminal scope's capability tree, re-derived from the chain, proves where the intent sits.
    const leaves = chain.certs.length > 0 ? hopLeaves(chain, chain.certs.length - 1, passport?.capabilities.map((c) => intentHash(c))) : undefined;
    const intent = intentHash(action, params);
    let proof: MerkleProof | undefined;
    if (leaves && leaves.length > 1) {
      const tree = IntentTree.build(leaves);
      if (tree.contains(intent)) proof = tree.prove(intent);
    }
    const context = { agentPk, now, driftToleranceSecs: drift, ...(proof ? { proof } : {}), ...(revocations ? { revocations } : {}) };
    const receipt: VerificationReceipt =
      anchor.kind === 'passport' ? (await anchor.passport.guard(chain, { ...context, intent: { action, params } })).inner : await authorize(chain, { ...context, intent });
    const last = chain.certs[chain.certs.length - 1]!;
    // Two fingerprints: of the chain file alone (what a1 inspect and a1 cert issue print), and
    // the receipt's, which also covers the namespace the chain is bound to (as the reference computes it).
    const fileFingerprint = toHex(chainFingerprint({ ...chain, namespace: undefined }));
    const receiptFingerprint = toHex(receipt.chainFingerprint);
    const notes = skewNotes(chain, now, drift);
    ctx.result(
      {
        authorized: true,
        trusted: anchor.kind !== 'none',
        trust_anchor: anchor.kind === 'none' ? 'none' : anchor.source,
        principal_pk: principal,
        chain_depth: receipt.chainDepth,
        intent: toHex(receipt.intent),
        verified_scope_root: toHex(receipt.verifiedScopeRoot),
        verified_at_unix: receipt.verifiedAtUnix,
        chain_fingerprint: fileFingerprint,
        receipt_chain_fingerprint: receiptFingerprint,
        namespace: receipt.namespace ?? null,
        // Only a passport binds the chain to a tenant; a pinned key vouches for every tenant under it.
        namespace_checked: anchor.kind === 'passport',
        drift_tolerance_secs: drift,
        skew_tolerance_applied: notes.length > 0,
        notes,
        action,
        params,
      },
      [
        `${anchor.kind === 'none' ? 'authorized (UNTRUSTED: no trust anchor)' : 'authorized'}: ${toHex(agentPk).slice(0, 16)}… may ${action}${Object.keys(params).length ? ` (${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`,
        `  principal     ${principal}`,
        `  anchored at   ${anchorText(anchor)}`,
        ...(anchor.kind === 'passport' ? [] : [`  namespace     NOT CHECKED: ${NO_NAMESPACE_CHECK}`]),
        `  chain depth   ${receipt.chainDepth}`,
        `  chain         ${fileFingerprint} (fingerprint of the chain file, as a1 inspect shows it)`,
        ...(receipt.namespace !== undefined ? [`  receipt       ${receiptFingerprint} (the receipt's fingerprint: the chain bound to namespace "${receipt.namespace}")`] : []),
        `  verified at   ${isoTime(receipt.verifiedAtUnix)}`,
        `  valid until   ${isoTime(last.expirationUnix)}`,
        ...notes.map((n) => `  note: ${n}`),
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof A1Error)) throw error;
    const reason = error.details.reason;
    const explanation = `${explainA1Error(error)}${reason && error.code !== 'WireFormatError' ? ` (${reason})` : ''}`;
    const refusal = { authorized: false, code: error.code, error_code: error.errorCode, message: error.message, explanation, principal_pk: principal };
    if (ctx.json) ctx.stdout.write(`${JSON.stringify(refusal, null, 2)}\n`);
    else ctx.stderr.write(`refused: ${error.code}: ${error.message}\n  ${explanation}\n  principal ${principal}\n`);
    return EXIT.refused;
  }
};
