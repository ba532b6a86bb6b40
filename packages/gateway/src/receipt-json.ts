/**
 * The authorize answer's informational receipt (§4.5): passport fields read from the last cert's
 * extensions, defaults otherwise. Nothing here is checked against anything, as upstream.
 */
import { NarrowingMatrix, toHex, type SignedChain, type VerificationReceipt } from '@a1/core';
import { obj, type OutObject } from './json-out.js';

const ZERO_MASK_HEX = '0'.repeat(64);
const EMPTY_COMMITMENT_HEX = toHex(NarrowingMatrix.empty().commitment());

export interface PassportFields {
  namespace: string;
  maskHex: string;
  commitmentHex: string;
}

/** Step 3: `dyolo.passport.namespace` and `dyolo.passport.mask` of the last cert. */
export function passportFields(chain: SignedChain): PassportFields {
  const last = chain.certs[chain.certs.length - 1];
  const ns = last?.extensions.get('dyolo.passport.namespace');
  const mask = last?.extensions.get('dyolo.passport.mask');
  const namespace = ns?.type === 'Str' ? ns.value : '';
  if (mask?.type !== 'Str') return { namespace, maskHex: ZERO_MASK_HEX, commitmentHex: EMPTY_COMMITMENT_HEX };
  let commitmentHex = EMPTY_COMMITMENT_HEX;
  if (/^[0-9a-fA-F]{64}$/.test(mask.value)) commitmentHex = toHex(NarrowingMatrix.fromHex(mask.value).commitment());
  return { namespace, maskHex: mask.value, commitmentHex };
}

export function receiptJson(receipt: VerificationReceipt, passport: PassportFields): OutObject {
  return obj([
    ['chain_depth', receipt.chainDepth],
    ['fingerprint_hex', toHex(receipt.chainFingerprint)],
    ['verified_at_unix', receipt.verifiedAtUnix],
    ['passport_namespace', passport.namespace],
    ['capability_mask_hex', passport.maskHex],
    ['narrowing_commitment_hex', passport.commitmentHex],
  ]);
}
