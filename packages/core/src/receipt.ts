/** What a successful authorization proves, and its canonical bytes (input to the token MAC). */
import { concatBytes, u64be, utf8 } from './bytes.js';

export interface VerificationReceipt {
  chainDepth: number;
  verifiedScopeRoot: Uint8Array;
  intent: Uint8Array;
  verifiedAtUnix: bigint;
  chainFingerprint: Uint8Array;
  namespace?: string | undefined;
}

const RECEIPT_PREFIX = utf8('a1_dyolo_v2.8.0:');

/** `a1_dyolo_v2.8.0:` ‖ be64(depth) ‖ scope ‖ intent ‖ be64(time) ‖ chain fp ‖ be64(len ns) ‖ ns. */
export function receiptCanonicalBytes(receipt: VerificationReceipt): Uint8Array {
  const ns = utf8(receipt.namespace ?? '');
  return concatBytes(
    RECEIPT_PREFIX,
    u64be(BigInt(receipt.chainDepth)),
    receipt.verifiedScopeRoot,
    receipt.intent,
    u64be(receipt.verifiedAtUnix),
    receipt.chainFingerprint,
    u64be(ns.length),
    ns,
  );
}
