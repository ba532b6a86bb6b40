/**
 * `a1 verify`: offline verification of a chain for an agent and an intent. Imports nothing but
 * @a1/core — no provider package, no SDK, no network.
 */
import { A1Error, authorize, equalBytes, intentHash, IntentTree, toHex, type MerkleProof, type VerificationReceipt } from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { readChainFile, readPassportFile } from '../documents.js';
import { EXIT } from '../exit-codes.js';
import { explainA1Error } from '../explain.js';
import { hopLeaves } from '../hop-scope.js';
import { optionalString, parseNonNegativeInteger, parseParams, parsePublicKey, parseUnixTime, requireString } from '../inputs.js';
import { readRevocationFile } from '../revocation-file.js';
import { isoTime, unixNow } from '../time-text.js';

function receiptJson(receipt: VerificationReceipt) {
  return {
    authorized: true,
    chain_depth: receipt.chainDepth,
    intent: toHex(receipt.intent),
    verified_scope_root: toHex(receipt.verifiedScopeRoot),
    verified_at_unix: receipt.verifiedAtUnix,
    chain_fingerprint: toHex(receipt.chainFingerprint),
    namespace: receipt.namespace ?? null,
  };
}

export const runVerify: CommandRun = async (ctx, values) => {
  const chainPath = ctx.path(requireString(values, 'chain', 'the chain file'));
  const agentPk = parsePublicKey(requireString(values, 'agent', "the presenting agent's public key"), '--agent');
  const action = requireString(values, 'intent', 'e.g. --intent trade.equity');
  const params = parseParams(values);
  const atText = optionalString(values, 'at');
  const now = atText === undefined ? unixNow() : parseUnixTime(atText, '--at');
  const driftText = optionalString(values, 'drift');
  const drift = driftText === undefined ? undefined : parseNonNegativeInteger(driftText, '--drift', 86_400 * 365);
  const revokedPath = optionalString(values, 'revoked');
  const passportPath = optionalString(values, 'passport');

  const passport = passportPath ? await readPassportFile(ctx.path(passportPath)) : undefined;
  const chain = await readChainFile(chainPath, passport?.namespace);
  const revocations = revokedPath ? await readRevocationFile(ctx.path(revokedPath)) : undefined;
  const intent = intentHash(action, params);

  try {
    if (passport) {
      if (!equalBytes(chain.principalPk, passport.holderPk)) throw new A1Error('RootMismatch');
      if (!passport.mask.has(action)) throw new A1Error('PassportNarrowingViolation');
    }
    // The terminal scope's capability tree, re-derived from the chain, proves where the intent sits.
    const leaves = chain.certs.length > 0 ? hopLeaves(chain, chain.certs.length - 1, passport?.capabilities.map((c) => intentHash(c))) : undefined;
    let proof: MerkleProof | undefined;
    if (leaves && leaves.length > 1) {
      const tree = IntentTree.build(leaves);
      if (tree.contains(intent)) proof = tree.prove(intent);
    }
    const receipt = await authorize(chain, {
      agentPk,
      intent,
      now,
      ...(proof ? { proof } : {}),
      ...(drift !== undefined ? { driftToleranceSecs: drift } : {}),
      ...(revocations ? { revocations } : {}),
    });
    const last = chain.certs[chain.certs.length - 1]!;
    ctx.result(
      { ...receiptJson(receipt), action, params },
      [
        `authorized: ${toHex(agentPk).slice(0, 16)}… may ${action}${Object.keys(params).length ? ` (${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`,
        `  chain depth   ${receipt.chainDepth}`,
        `  chain         ${toHex(receipt.chainFingerprint)}`,
        `  verified at   ${isoTime(receipt.verifiedAtUnix)}`,
        `  valid until   ${isoTime(last.expirationUnix)}`,
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof A1Error)) throw error;
    const refusal = { authorized: false, code: error.code, error_code: error.errorCode, message: error.message, explanation: explainA1Error(error) };
    if (ctx.json) ctx.stdout.write(`${JSON.stringify(refusal, null, 2)}\n`);
    else ctx.stderr.write(`refused: ${error.code}: ${error.message}\n  ${refusal.explanation}\n`);
    return EXIT.refused;
  }
};
